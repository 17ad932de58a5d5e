from __future__ import annotations

from django.apps import AppConfig


class StaffingConfig(AppConfig):
    name = "sro.staffing"
    label = "staffing"
    verbose_name = "Staffing: officers, joint hiring, training, assignments and the deployment gate"

    def ready(self) -> None:
        import sro.staffing.checks  # noqa: F401 - registers the data-file checks (hiring rubric, courses)
        from sro.core.demo import register_demo
        from sro.staffing import panels  # noqa: F401 - registers the staffing panels on the home page
        from sro.staffing import queue as _queue  # noqa: F401 - registers its part of the director's queue
        from sro.staffing.demo import load as load_demo

        register_demo(30, load_demo)
