"""Start-up check: the force types, the deadlines and early-intervention rules, the URSUS elements."""

from __future__ import annotations

from typing import Any

from django.core import checks

from sro.core.datafiles import DATA_FILES_TAG, DataFile, data_file_errors
from sro.force.rules import RULES_PATH, TYPES_PATH, URSUS_PATH, load_rules, load_types, load_ursus

DATA_FILES = (
    DataFile(TYPES_PATH, load_types),
    DataFile(RULES_PATH, load_rules),
    DataFile(URSUS_PATH, load_ursus),
)


@checks.register(DATA_FILES_TAG)
def check_data_files(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    return data_file_errors(DATA_FILES, check_id="force.E001")
