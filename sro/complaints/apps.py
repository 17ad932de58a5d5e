from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "sro.complaints"
    label = "complaints"
    verbose_name = "Complaints about SROs, incidents and the program"

    def ready(self) -> None:
        import sro.complaints.checks  # noqa: F401 - registers the data-file checks (categories, deadlines)
        from sro.complaints import panels  # noqa: F401 - registers the complaints panel on the home page
        from sro.complaints import queue as _queue  # noqa: F401 - registers its part of the director's queue
        from sro.complaints.demo import load as load_demo
        from sro.core.demo import register_demo

        register_demo(45, load_demo)
