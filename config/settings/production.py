"""Production: refuses to start with an unsafe configuration."""

from config.checks import check_production_settings
from config.env import env
from config.settings.base import *  # noqa: F403
from config.settings.base import ALLOWED_HOSTS, DEBUG, SECRET_KEY

check_production_settings(debug=DEBUG, secret_key=SECRET_KEY, allowed_hosts=ALLOWED_HOSTS)

SRO_DEMO_MODE = False
SESSION_COOKIE_SECURE: bool = env("SRO_SECURE_COOKIES")
CSRF_COOKIE_SECURE: bool = env("SRO_SECURE_COOKIES")
SECURE_HSTS_SECONDS = 31536000 if SESSION_COOKIE_SECURE else 0
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
