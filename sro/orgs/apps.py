from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "sro.orgs"
    label = "orgs"
    verbose_name = "Organisations and people"

    def ready(self) -> None:
        from sro.core.audit import register_role_label
        from sro.core.demo import register_demo, register_demo_sign_ins
        from sro.orgs import demo
        from sro.orgs.roles import role_label_for

        register_role_label(role_label_for)  # each audit event's `role`
        register_demo(10, demo.load)
        register_demo_sign_ins(demo.demo_sign_ins, loaded=demo.demo_loaded)
