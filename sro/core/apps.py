from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sro.core"
    label = "core"
    verbose_name = "Core: audit trail"

    def ready(self) -> None:
        from django.core import checks
        from django.db.models.signals import pre_save

        from sro.core import signals  # noqa: F401  - sign-in/out auditing
        from sro.core.clientip import check_trusted_proxies
        from sro.core.limits import refuse_oversized_on_save
        from sro.core.nul import refuse_nul_on_save

        checks.register(check_trusted_proxies)

        pre_save.connect(refuse_nul_on_save, dispatch_uid="sro.core.nul.refuse_nul_on_save")
        pre_save.connect(refuse_oversized_on_save, dispatch_uid="sro.core.limits.refuse_oversized_on_save")
