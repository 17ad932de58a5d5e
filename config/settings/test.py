"""Settings for the test suite: fast hashing, in-memory mail, demo allowed."""

import tempfile

from config.env import env
from config.settings.base import *  # noqa: F403

DEBUG = False
SRO_DEMO_MODE = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed; production uses Argon2
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
AXES_FAILURE_LIMIT = 3
# Checkpoints of the test databases' audit trails go to a folder of their own, never var/'s.
SRO_AUDIT_CHECKPOINT_DIR = tempfile.mkdtemp(prefix="sro-test-audit-")
# Tests write records without services (no audit event), so a cached figure could outlive them;
# the cache's own test turns it on.
# (`make bench-web` and `make loadtest` set it to the production default).
SRO_FIGURES_CACHE_SECONDS = env.int("SRO_FIGURES_CACHE_SECONDS", default=0)
