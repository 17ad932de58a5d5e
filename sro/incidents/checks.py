"""Start-up check: the offence catalogue, the routing policy, the RIPA codes and layouts load and validate.

Registered from `IncidentsConfig.ready()`; `manage.py check` (and every start-up) lists each
problem of a broken file as an Error naming its file, line and key.
"""

from __future__ import annotations

import re
from typing import Any

from django.core import checks

from sro.core.datafiles import DATA_FILES_TAG, DataFile, data_file_errors
from sro.core.personal_data import student_id_pattern
from sro.incidents.catalogue import OFFENCES_PATH, load_catalogue
from sro.incidents.codes import VERSION_PATHS, load_codes
from sro.incidents.policy import POLICY_PATH, load_policy
from sro.incidents.ripa_layout import LAYOUTS_PATH, load_layouts

DATA_FILES = (
    DataFile(OFFENCES_PATH, load_catalogue),
    DataFile(POLICY_PATH, load_policy),  # checked against the offence catalogue in force
    *(DataFile(p, load_codes) for p in VERSION_PATHS),  # the RIPA code lists, one file per version
    DataFile(LAYOUTS_PATH, load_layouts),  # the DOJ's published RIPA layouts and their crosswalk
)


@checks.register(DATA_FILES_TAG)
def check_data_files(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    return data_file_errors(DATA_FILES, check_id="incidents.E001")


@checks.register()
def check_student_id_pattern(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """SRO_STUDENT_ID_PATTERN must be a regular expression (the narrative check uses it)."""
    try:
        re.compile(student_id_pattern())
    except re.error as exc:
        return [
            checks.Error(
                f"SRO_STUDENT_ID_PATTERN is not a regular expression: {exc}",
                hint=r"Write the district's student id as a pattern, e.g. \b\d{7}\b for seven digits.",
                id="incidents.E002",
            )
        ]
    return []
