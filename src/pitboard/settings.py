"""Django settings, all taken from the environment (every variable is in docs/settings.md).

PITBOARD_DATABASE_URL picks the database (default: a SQLite file ``pitboard.sqlite3`` in the
working directory, in WAL mode); PostgreSQL URLs (``postgresql://…``) use psycopg 3.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import secrets
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from pitboard.dburl import database_settings, sqlite_path

BASE_DIR = Path(__file__).resolve().parent

DATABASES = {"default": database_settings(os.environ.get("PITBOARD_DATABASE_URL"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def _key_file() -> Path:
    """Where the generated secret key is kept: PITBOARD_SECRET_KEY_FILE, else beside the SQLite
    database (``pitboard.sqlite3`` → ``pitboard.secret-key``), else in the working directory."""
    named = os.environ.get("PITBOARD_SECRET_KEY_FILE", "").strip()
    if named:
        return Path(named)
    database = sqlite_path(DATABASES["default"])
    if database is not None and str(database) not in ("", ":memory:"):
        return database.with_suffix(".secret-key")
    return Path.cwd() / "pitboard.secret-key"


def _kept_secret_key(path: Path) -> str:
    """The key in *path*; on first run a new random one, written readable by the owner only.

    The key is written to a temporary file first and linked into place, so two processes
    starting at once agree on one key.
    """
    try:
        key = path.read_text().strip()
    except FileNotFoundError:
        key = ""
    if key:
        return key
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as out:
            out.write(secrets.token_urlsafe(50) + "\n")
        # When another process kept its key first, that one is used.
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
    except OSError as exc:
        raise ImproperlyConfigured(
            f"cannot keep a secret key in {path} ({exc.strerror}): set PITBOARD_SECRET_KEY, "
            "or PITBOARD_SECRET_KEY_FILE to a file this process may write"
        ) from exc
    finally:
        temporary.unlink(missing_ok=True)
    return path.read_text().strip()


SECRET_KEY = os.environ.get("PITBOARD_SECRET_KEY", "").strip() or _kept_secret_key(_key_file())
DEBUG = os.environ.get("PITBOARD_DEBUG", "") == "1"
# Host names this site answers to; any other Host header is refused (400), so a forged one
# never reaches a canonical link. Behind a proxy, list the public name(s).
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("PITBOARD_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "pitboard.records",
    "pitboard.careers",
    "pitboard.news",
    "pitboard.officials",
    "pitboard.web",
    "axes",  # django-axes: sign-ins throttled (below)
]

MIDDLEWARE = [
    "pitboard.web.middleware.content_security_policy",
    "pitboard.web.querycount.query_count",
    "pitboard.web.middleware.cors_for_reads",
    "pitboard.web.middleware.api_errors_as_json",
    "django.middleware.security.SecurityMiddleware",
    "pitboard.web.middleware.refuse_nul",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "pitboard.web.cache.response_cache",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

# Sign-ins (the admin, and the officials' pages to come) throttled by django-axes, a maintained
# package: after 5 failures for one account from one address, that pair is refused for 15
# minutes; the failures are kept in the database, so every worker sees them.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# A session lasts a race night, its cookie out of scripts' reach and not sent cross-site.
SESSION_COOKIE_AGE = 12 * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Officials sign in where the admin's staff do; then the race-night form.
LOGIN_URL = "/admin/login/"
LOGIN_REDIRECT_URL = "/officials/entry/"

ROOT_URLCONF = "pitboard.urls"
WSGI_APPLICATION = "pitboard.wsgi.application"


# django-ninja's bundled API docs (templates and assets), found without importing ninja: the
# command line does not pay for pydantic at start-up.
def _package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ImproperlyConfigured(f"the package {name!r} is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


_NINJA = _package_dir("ninja")

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [_NINJA / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pitboard.web.context.site",
            ],
        },
    },
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [_NINJA / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
STATIC_ROOT = os.environ.get("PITBOARD_STATIC_ROOT", str(Path.cwd() / "staticfiles"))


# The response cache (PRODUCT.md): PITBOARD_CACHE_URL is redis://…, locmem (the default) or none.
CACHE_URL = os.environ.get("PITBOARD_CACHE_URL", "locmem").strip() or "locmem"
PITBOARD_RESPONSE_CACHE = CACHE_URL != "none"
CACHES: dict[str, dict[str, Any]]
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    }
elif CACHE_URL in ("locmem", "none"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    }
else:
    raise ImproperlyConfigured(
        f"PITBOARD_CACHE_URL must be redis://…, locmem or none, not {CACHE_URL!r}"
    )

# Tests' query cap: responses carry X-Query-Count (see pitboard.web.querycount).
PITBOARD_COUNT_QUERIES = os.environ.get("PITBOARD_COUNT_QUERIES", "") == "1"

# TLS deployments (PITBOARD_HTTPS=1, behind a proxy that terminates TLS and sends
# X-Forwarded-Proto, which gunicorn trusts from 127.0.0.1): cookies only over HTTPS, plain HTTP
# redirected, and HSTS for a year.
PITBOARD_HTTPS = os.environ.get("PITBOARD_HTTPS", "") == "1"
if PITBOARD_HTTPS:
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 365 * 24 * 3600

# The reader's address for the report form's rate limit: the last X-Forwarded-For address when
# PITBOARD_TRUST_X_FORWARDED_FOR=1 (set it only behind a proxy that appends that header), else
# the connection's.
PITBOARD_TRUST_X_FORWARDED_FOR = os.environ.get("PITBOARD_TRUST_X_FORWARDED_FOR", "") == "1"

# The write API's calls a minute per account (then 429).
_writes = os.environ.get("PITBOARD_WRITES_PER_MINUTE", "").strip()
PITBOARD_WRITES_PER_MINUTE = int(_writes) if _writes.isdigit() and int(_writes) > 0 else 60

# The folder of published exports (`pitboard export --out DIR/NAME`), listed on /downloads/.
PITBOARD_DOWNLOADS_DIR = os.environ.get("PITBOARD_DOWNLOADS_DIR", "").strip()

# Server errors with their traceback on stderr (gunicorn's error log); refused Host headers in
# one line each.
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": _FORMAT},
        "brief": {"()": "pitboard.web.logs.WithoutTraceback", "format": _FORMAT},
    },
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
            "formatter": "plain",
        },
        "stderr_brief": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
            "formatter": "brief",
        },
    },
    "loggers": {
        "django": {"handlers": ["stderr"], "level": "ERROR", "propagate": False},
        "django.security.DisallowedHost": {
            "handlers": ["stderr_brief"],
            "level": "ERROR",
            "propagate": False,
        },
        "pitboard": {"handlers": ["stderr"], "level": "WARNING", "propagate": False},
    },
}
