from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "sro.incidents"
    label = "incidents"
    verbose_name = "Incidents, routing policy, SRO contacts and boundary reviews"
