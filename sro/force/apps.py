from django.apps import AppConfig


class ForceConfig(AppConfig):
    name = "sro.force"
    label = "force"
    verbose_name = "Use of force, the officer's record and early intervention"

    def ready(self) -> None:
        import sro.force.checks  # noqa: F401 - registers the data-file checks
        from sro.core.demo import register_demo
        from sro.force import queue as _queue  # noqa: F401 - registers its queue sources
        from sro.force.demo import load as load_demo
        from sro.force.hooks import register_staffing_hooks

        register_staffing_hooks()
        register_demo(48, load_demo)
