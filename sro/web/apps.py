from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "sro.web"
    label = "web"
    verbose_name = "Pages"

    def ready(self) -> None:
        from sro.web import panels  # noqa: F401 - registers the home-page panels (sro.web.dashboard)
