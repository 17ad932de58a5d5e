from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "sro.incidents"
    label = "incidents"
    verbose_name = "Incidents, routing policy, SRO contacts and boundary reviews"

    def ready(self) -> None:
        import sro.incidents.checks  # noqa: F401 - registers the data-file checks (offences, policy, RIPA codes)
        from sro.core.demo import register_demo
        from sro.incidents import panels  # noqa: F401 - registers the incidents panels on the home page
        from sro.incidents import queue as _queue  # noqa: F401 - registers its part of the director's queue
        from sro.incidents.demo import load as load_demo

        register_demo(40, load_demo)
