from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from sro.oversight import synth


@pytest.fixture(scope="session")
def directory() -> synth.Directory:
    return synth.load_directory(Path(settings.SRO_SCHOOLS_CSV))
