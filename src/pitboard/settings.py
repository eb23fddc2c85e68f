"""Django settings, all taken from the environment.

PITBOARD_DATABASE_URL picks the database (default: a SQLite file ``pitboard.sqlite3`` in the
working directory, in WAL mode); PostgreSQL URLs (``postgresql://…``) use psycopg 3.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from pitboard.dburl import database_settings

BASE_DIR = Path(__file__).resolve().parent

SECRET_KEY = os.environ.get("PITBOARD_SECRET_KEY", "pitboard-insecure-development-key")
DEBUG = os.environ.get("PITBOARD_DEBUG", "") == "1"
ALLOWED_HOSTS = [h for h in os.environ.get("PITBOARD_ALLOWED_HOSTS", "*").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "pitboard.records",
    "pitboard.web",
]

MIDDLEWARE = [
    "pitboard.web.querycount.query_count",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "pitboard.web.middleware.cors_for_reads",
    "pitboard.web.cache.response_cache",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

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

DATABASES = {"default": database_settings(os.environ.get("PITBOARD_DATABASE_URL"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

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
