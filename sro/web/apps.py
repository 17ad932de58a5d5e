from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "sro.web"
    label = "web"
    verbose_name = "Pages"

    # Each app registers its own home-page panels (sro.core.panels); web renders them.

    def ready(self) -> None:
        from sro.web import dashboard  # noqa: F401 - registers the "Waiting for you" panel (sro.core.queue)
