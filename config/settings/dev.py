"""Local development and the demo: DEBUG on, cookies over plain http."""

from config.settings.base import *  # noqa: F403

DEBUG = True
SRO_DEMO_MODE = True
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
