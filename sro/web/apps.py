from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "sro.web"
    label = "web"
    verbose_name = "Pages"

    # Each app registers its own home-page panels (sro.core.panels); web renders them.
