"""Production: refuses to start with an unsafe configuration."""

from django.core.exceptions import ImproperlyConfigured

from config.env import DEFAULT_SECRET_KEY, env
from config.settings.base import *  # noqa: F403
from config.settings.base import ALLOWED_HOSTS, DEBUG, SECRET_KEY


def check_production_settings(*, debug: bool, secret_key: str, allowed_hosts: list[str]) -> None:
    """Raise ImproperlyConfigured naming every unsafe setting."""
    problems = []
    if debug:
        problems.append("DEBUG must be off in production")
    if not secret_key or secret_key == DEFAULT_SECRET_KEY or len(secret_key) < 32:
        problems.append("SECRET_KEY must be set to a random value of at least 32 characters")
    if not allowed_hosts:
        problems.append("ALLOWED_HOSTS must name the host(s) this site is served from")
    if problems:
        raise ImproperlyConfigured("; ".join(problems))


check_production_settings(debug=DEBUG, secret_key=SECRET_KEY, allowed_hosts=ALLOWED_HOSTS)

SRO_DEMO_MODE = False
SESSION_COOKIE_SECURE: bool = env("SRO_SECURE_COOKIES")
CSRF_COOKIE_SECURE: bool = env("SRO_SECURE_COOKIES")
SECURE_HSTS_SECONDS = 31536000 if SESSION_COOKIE_SECURE else 0
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
