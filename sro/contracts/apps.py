from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "sro.contracts"
    label = "contracts"
    verbose_name = "Contracts and votes"

    def ready(self) -> None:
        import sro.contracts.checks  # noqa: F401 - registers the data-file check (clause catalogue)
        from sro.contracts import panels  # noqa: F401 - registers the votes panel on the home page
        from sro.contracts import queue as _queue  # noqa: F401 - registers its part of the director's queue
        from sro.contracts.demo import load as load_demo
        from sro.core.demo import register_demo

        register_demo(20, load_demo)
