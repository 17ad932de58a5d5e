from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "sro.orgs"
    label = "orgs"
    verbose_name = "Organisations and people"
