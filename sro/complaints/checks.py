"""Start-up check: the complaint categories and the workflow deadlines load and validate."""

from __future__ import annotations

from typing import Any

from django.core import checks

from sro.complaints.rules import CATEGORIES_PATH, WORKFLOW_PATH, load_categories, load_workflow
from sro.core.datafiles import DATA_FILES_TAG, DataFile, data_file_errors

DATA_FILES = (DataFile(CATEGORIES_PATH, load_categories), DataFile(WORKFLOW_PATH, load_workflow))


@checks.register(DATA_FILES_TAG)
def check_data_files(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    return data_file_errors(DATA_FILES, check_id="complaints.E001")
