"""Load the demo scenario: each capability adds its part, in dependency order.

Core names no app: each app registers its part from its `AppConfig.ready()`::

    # sro/contracts/apps.py
    def ready(self) -> None:
        from sro.contracts.demo import load as load_demo
        from sro.core.demo import register_demo

        register_demo(20, load_demo)

Parts load in ascending `order` (then by the loader's module, so the order never depends on
which app started first): 10 orgs, 20 contracts, 30 staffing, 40 incidents, 50 public,
60 community. A part may rely on every part with a lower order.

The orgs app also registers the demo sign-ins (every demo account, printed by `sro demo`) and
how to tell that the scenario is already in the database (`sro demo --if-empty`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.management import call_command
from django.db import transaction

SignIn = tuple[str, str, str, str]  # username, role, organisation, password


@dataclass(frozen=True)
class DemoPart:
    order: int
    load: Callable[[], object]

    @property
    def key(self) -> str:
        return f"{self.load.__module__}.{self.load.__qualname__}"


@dataclass
class _SignIns:
    rows: Callable[[], list[SignIn]] = field(default=lambda: [])  # none until orgs registers
    loaded: Callable[[], bool] = field(default=lambda: False)


_PARTS: dict[str, DemoPart] = {}
_SIGN_INS = _SignIns()
_SCALE: list[Callable[[int], int]] = []  # one slot: `sro demo --scale N` (the public app fills it)


def register_demo(order: int, load: Callable[[], object]) -> None:
    """Add (or, registered again, replace) one app's part of the demo scenario."""
    part = DemoPart(order, load)
    _PARTS[part.key] = part


def register_demo_sign_ins(rows: Callable[[], list[SignIn]], *, loaded: Callable[[], bool]) -> None:
    """Who can sign in to the demo, and whether the scenario is already loaded (one provider)."""
    _SIGN_INS.rows, _SIGN_INS.loaded = rows, loaded


def register_demo_scale(scale: Callable[[int], int]) -> None:
    """How `sro demo --scale N` grows the loaded demo N times (returns the rows added; one provider)."""
    _SCALE[:] = [scale]


def scale_demo(times: int) -> int:
    if not demo_allowed():
        raise DemoRefused("the demo is refused when DEBUG and SRO_DEMO_MODE are off (a production site)")
    if not _SCALE:
        raise DemoRefused("no app provides --scale")
    try:
        return _SCALE[0](times)
    except ValueError as exc:
        raise DemoRefused(str(exc)) from None


def demo_parts() -> list[DemoPart]:
    return sorted(_PARTS.values(), key=lambda p: (p.order, p.key))


class DemoRefused(Exception):
    pass


def demo_allowed() -> bool:
    return bool(settings.DEBUG or getattr(settings, "SRO_DEMO_MODE", False))


def load_demo(*, reset: bool, only_if_empty: bool = False) -> list[SignIn]:
    if not demo_allowed():
        raise DemoRefused("the demo is refused when DEBUG and SRO_DEMO_MODE are off (a production site)")
    if only_if_empty and _SIGN_INS.loaded():
        return _SIGN_INS.rows()
    if reset:
        call_command("flush", interactive=False, verbosity=0)
    with transaction.atomic():
        for part in demo_parts():
            part.load()
        return _SIGN_INS.rows()
