"""Load the demo scenario: each capability adds its part, in dependency order."""

from __future__ import annotations

from importlib import import_module

from django.conf import settings
from django.core.management import call_command
from django.db import transaction

DEMO_MODULES = [
    "sro.orgs.demo",
    "sro.contracts.demo",
    "sro.staffing.demo",
    "sro.incidents.demo",
    "sro.public.demo",
    "sro.community.demo",
]


class DemoRefused(Exception):
    pass


def demo_allowed() -> bool:
    return bool(settings.DEBUG or getattr(settings, "SRO_DEMO_MODE", False))


def load_demo(*, reset: bool, only_if_empty: bool = False) -> list[tuple[str, str, str, str]]:
    if not demo_allowed():
        raise DemoRefused("the demo is refused when DEBUG and SRO_DEMO_MODE are off (a production site)")
    from sro.orgs.demo import demo_sign_ins
    from sro.orgs.models import District

    if only_if_empty and District.objects.exists():
        return demo_sign_ins()
    if reset:
        call_command("flush", interactive=False, verbosity=0)
    with transaction.atomic():
        for name in DEMO_MODULES:
            import_module(name).load()
        return demo_sign_ins()
