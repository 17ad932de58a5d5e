from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "sro.web"
    label = "web"
    verbose_name = "Pages"
