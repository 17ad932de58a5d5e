"""Start-up checks for a production site."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

from config.env import DEFAULT_SECRET_KEY


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
