"""Every setting the product reads from the environment, in one place.

Values come from the process environment, then from a `.env` file at the
project root when one exists. `.env.example` lists each one with its default.
"""

from __future__ import annotations

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env(
    DEBUG=(bool, False),
    SECRET_KEY=(str, "insecure-development-key-change-me"),
    ALLOWED_HOSTS=(list, ["127.0.0.1", "localhost"]),
    DATABASE_URL=(str, f"sqlite:///{VAR_DIR / 'sro.sqlite3'}"),
    EMAIL_URL=(str, "consolemail://"),
    DEFAULT_FROM_EMAIL=(str, "sro@localhost"),
    SRO_DEMO_MODE=(bool, False),
    SRO_AXES_FAILURE_LIMIT=(int, 5),
    SRO_AXES_COOLOFF_MINUTES=(int, 30),
    SRO_TIME_ZONE=(str, "America/Los_Angeles"),
    SRO_SCHOOLS_CSV=(str, ""),
    SRO_SECURE_COOKIES=(bool, True),
    SRO_LOG_LEVEL=(str, "INFO"),
    SRO_SESSION_IDLE_MINUTES=(int, 30),
    SRO_SESSION_MAX_HOURS=(int, 12),
    SRO_AUDIT_KEY=(str, ""),
    SRO_AUDIT_PREVIOUS_KEYS=(list, []),
    SRO_AUDIT_CHECKPOINT_DIR=(str, ""),
    SRO_STUDENT_ID_PATTERN=(str, ""),
    SRO_TRUSTED_PROXIES=(list, []),
    SRO_TWO_STEP_REQUIRED=(bool, True),
    SRO_CACHE_URL=(str, "locmemcache://"),
    SRO_FIGURES_CACHE_SECONDS=(int, 86400),
)

_dotenv = BASE_DIR / ".env"
if _dotenv.is_file():
    environ.Env.read_env(str(_dotenv))

DEFAULT_SECRET_KEY = "insecure-development-key-change-me"  # noqa: S105 - the sentinel production refuses
