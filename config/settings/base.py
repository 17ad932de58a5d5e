"""Settings shared by every environment. Values that vary live in config/env.py."""

from __future__ import annotations

from typing import Any

from config.env import BASE_DIR, VAR_DIR, env

SECRET_KEY: str = env("SECRET_KEY")
DEBUG: bool = env("DEBUG")
ALLOWED_HOSTS: list[str] = env("ALLOWED_HOSTS")
SRO_DEMO_MODE: bool = env("SRO_DEMO_MODE")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "ninja",  # the API docs' Swagger UI from its own static files, not a CDN (config/api.py)
    "sro.core",
    "sro.orgs",
    "sro.contracts",
    "sro.staffing",
    "sro.incidents",
    "sro.complaints",
    "sro.force",
    "sro.oversight",
    "sro.evaluation",
    "sro.community",
    "sro.public",
    "sro.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "sro.core.middleware.NoStoreMiddleware",
    "sro.core.middleware.RequestIdMiddleware",
    "sro.core.middleware.RefusedAccessMiddleware",
    "sro.core.middleware.NulCharacterMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "sro.core.middleware.SessionExpiryMiddleware",
    "sro.orgs.middleware.TwoStepMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES: list[dict[str, Any]] = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "sro.web.context_processors.roles",
            ],
        },
    },
]

# Each server process's memory by default; redis://host:6379/1 shares one cache between processes
# (Django's Redis backend, which needs the `redis` package installed). docs/performance.md.
CACHES = {"default": env.cache_url("SRO_CACHE_URL")}
# How long the public figures stay cached (seconds; 0: not cached). Any change to the records
# appends an audit event, and the cache is keyed on the newest one, so no figure is ever stale.
SRO_FIGURES_CACHE_SECONDS: int = env("SRO_FIGURES_CACHE_SECONDS")

DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(exist_ok=True)
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update({"timeout": 20, "transaction_mode": "IMMEDIATE"})

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "orgs.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sign-in lockout (django-axes): lock the username+address pair after repeated failures.
AXES_FAILURE_LIMIT: int = env("SRO_AXES_FAILURE_LIMIT")
AXES_COOLOFF_TIME: float = env("SRO_AXES_COOLOFF_MINUTES") / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The client's address behind the site's HTTPS proxy: X-Forwarded-For is believed only from these
# addresses or CIDR ranges (none by default). Lockout and the public forms' rate limits key on it
# (sro.core.clientip; docs/install.md, "Behind an HTTPS proxy").
SRO_TRUSTED_PROXIES: list[str] = env("SRO_TRUSTED_PROXIES")
AXES_CLIENT_IP_CALLABLE = "sro.core.clientip.client_ip"

# Two-step sign-in (sro.orgs.twostep; docs/roles.md "Two-step sign-in"): required of district
# administrators and agency supervisors unless off here or on a trial site (SRO_DEMO_MODE).
SRO_TWO_STEP_REQUIRED: bool = env("SRO_TWO_STEP_REQUIRED")
OTP_TOTP_ISSUER = "sro"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # the admin never shows an authenticator's key or QR code

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "sro" / "locale"]
FORMAT_MODULE_PATH = ["config.formats"]  # US numbers and money in Spanish too (config/formats/es/formats.py)
TIME_ZONE: str = env("SRO_TIME_ZONE")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"

EMAIL_CONFIG = env.email("EMAIL_URL")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL: str = env("DEFAULT_FROM_EMAIL")

# Cookies and headers.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# A signed-in session ends after this long without a request, and after this long in all
# (sro.core.middleware.SessionExpiryMiddleware; docs/roles.md "Signing in").
SRO_SESSION_IDLE_MINUTES: int = env("SRO_SESSION_IDLE_MINUTES")
SRO_SESSION_MAX_HOURS: int = env("SRO_SESSION_MAX_HOURS")
SESSION_COOKIE_AGE = SRO_SESSION_MAX_HOURS * 3600

# The audit trail's chain key (never stored in the database), keys replaced by a rotation that
# old events still verify with, and where signed checkpoints of the chain's head go
# (sro.core.audit; docs/audit.md).
SRO_AUDIT_KEY: str = env("SRO_AUDIT_KEY")
SRO_AUDIT_PREVIOUS_KEYS: list[str] = env("SRO_AUDIT_PREVIOUS_KEYS")
SRO_AUDIT_CHECKPOINT_DIR: str = env("SRO_AUDIT_CHECKPOINT_DIR") or str(VAR_DIR / "audit-checkpoints")
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy: only our own files; no inline scripts anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}

SRO_SCHOOLS_CSV: str = env("SRO_SCHOOLS_CSV") or str(BASE_DIR.parent / "shared" / "data" / "ca_schools.csv")
# The district's student id pattern, for the personal-data check of narrative fields
# (sro/core/personal_data.py; docs/contacts.md). Empty: six to ten digits.
SRO_STUDENT_ID_PATTERN: str = env("SRO_STUDENT_ID_PATTERN")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("SRO_LOG_LEVEL")},
    "loggers": {"axes": {"level": "WARNING"}},
}
