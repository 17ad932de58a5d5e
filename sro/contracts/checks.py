"""Start-up check: the clause catalogue loads and validates.

Registered from `ContractsConfig.ready()`; `manage.py check` (and every start-up) lists each
problem of a broken file as an Error naming its file, line and key.
"""

from __future__ import annotations

from typing import Any

from django.core import checks

from sro.contracts.catalogue import CATALOGUE_PATH, load_catalogue
from sro.core.datafiles import DATA_FILES_TAG, DataFile, data_file_errors

DATA_FILES = (DataFile(CATALOGUE_PATH, load_catalogue),)


@checks.register(DATA_FILES_TAG)
def check_data_files(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    return data_file_errors(DATA_FILES, check_id="contracts.E001")
