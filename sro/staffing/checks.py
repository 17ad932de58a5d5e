"""Start-up check: the hiring rubric and the course catalogue load and validate.

Registered from `StaffingConfig.ready()`; `manage.py check` (and every start-up) lists each
problem of a broken file as an Error naming its file, line and key.
"""

from __future__ import annotations

from typing import Any

from django.core import checks

from sro.core.datafiles import DATA_FILES_TAG, DataFile, data_file_errors
from sro.staffing.catalogues import COURSES_PATH, RUBRIC_PATH, load_courses, load_rubric

DATA_FILES = (DataFile(RUBRIC_PATH, load_rubric), DataFile(COURSES_PATH, load_courses))


@checks.register(DATA_FILES_TAG)
def check_data_files(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    return data_file_errors(DATA_FILES, check_id="staffing.E001")
