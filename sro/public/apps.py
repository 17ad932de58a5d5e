from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "sro.public"
    label = "public"
    verbose_name = "Public transparency site and board report"

    def ready(self) -> None:
        from django.apps import apps

        if apps.is_installed("sro.staffing"):
            from sro.public import report_staffing  # noqa: F401 - registers the board report's staffing section
