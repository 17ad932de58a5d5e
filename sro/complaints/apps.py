from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "sro.complaints"
    label = "complaints"
    verbose_name = "Complaints about SROs, incidents and the program"
