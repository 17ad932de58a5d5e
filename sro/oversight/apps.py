from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "sro.oversight"
    label = "oversight"
    verbose_name = "Oversight: disparity metrics and reports"
