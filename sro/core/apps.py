from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sro.core"
    label = "core"
    verbose_name = "Core: audit trail"

    def ready(self) -> None:
        from sro.core import signals  # noqa: F401  - sign-in/out auditing
