from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.core import checks


def check_data_files(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Start-up check: the hiring rubric and the course catalogue parse and validate."""
    from sro.staffing.catalogues import CatalogueError, courses, rubric

    errors: list[checks.CheckMessage] = []
    for loader in (rubric, courses):
        try:
            loader()
        except (CatalogueError, OSError) as exc:
            errors.append(checks.Error(str(exc), id="staffing.E001"))
    return errors


class StaffingConfig(AppConfig):
    name = "sro.staffing"
    label = "staffing"
    verbose_name = "Staffing: officers, joint hiring, training and assignments"

    def ready(self) -> None:
        from sro.contracts.selectors import EXTRA_GATE_CHECKS
        from sro.staffing import panels  # noqa: F401 - registers the staffing panels on the home page
        from sro.staffing.gate import campus_officer_check

        if campus_officer_check not in EXTRA_GATE_CHECKS:
            EXTRA_GATE_CHECKS.append(campus_officer_check)
        checks.register(check_data_files, "staffing")
