from __future__ import annotations

import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings


def test_sro_help_lists_the_products_commands() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "sro", "--help"],
        capture_output=True,
        text=True,
        check=True,
        env={"DJANGO_SETTINGS_MODULE": "config.settings.test", "PATH": ""},
    )
    for name in ("import-schools", "audit", "token", "demo"):
        assert name in out.stdout


@pytest.mark.usefixtures("db")
def test_demo_prints_one_sign_in_per_role() -> None:
    out = StringIO()
    call_command("demo", stdout=out)
    text = out.getvalue()
    for role in (
        "district_admin",
        "superintendent",
        "board_member",
        "site_admin",
        "agency_supervisor",
        "sro",
        "analyst",
    ):
        assert role in text
    assert "Palm Springs High" in text


@pytest.mark.usefixtures("db")
@override_settings(DEBUG=False, SRO_DEMO_MODE=False)
def test_demo_is_refused_on_a_production_site() -> None:
    with pytest.raises(CommandError, match="refused"):
        call_command("demo", "--reset")
