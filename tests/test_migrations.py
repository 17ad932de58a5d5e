from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.usefixtures("db")
def test_models_and_migrations_agree() -> None:
    """A model change without its migration fails here (and migrations must not depend on hash order)."""
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
