"""Django settings of the ussd_airflow peer: as its release documents a deployment (Django 2.2,
sessions in Redis through the cache, served by gunicorn), nothing tuned for or against it."""

# mypy: ignore-errors
# (runs in the peer's own virtualenv: Django 2.2 and ussd_airflow are not the project's)

from __future__ import annotations

import logging
import os
from pathlib import Path

import structlog

HERE = Path(__file__).resolve().parent
SECRET_KEY = "bench-peer-not-secret"  # noqa: S105 (a loopback benchmark)
DEBUG = True  # the peer swallows its own errors unless DEBUG (ussd.core.finalize_response)
ALLOWED_HOSTS = ["*"]
ROOT_URLCONF = "bench.peer.urls"
INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "rest_framework",
    "ussd.apps.UssdConfig",  # its ready() registers the screen types (Django 2.2 needs the path)
]
MIDDLEWARE: list[str] = []
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("PEER_DB", "/tmp/arogya-peer.sqlite3"),  # noqa: S108
    }
}
CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": os.environ.get("PEER_REDIS_URL", "redis://127.0.0.1:6379/0"),
    }
}
SESSION_ENGINE = "django.contrib.sessions.backends.cache"
USSD_SESSION_ENGINE = SESSION_ENGINE
DEFAULT_USSD_SCREEN_JOURNEY = str(HERE / "journey.yml")
LOGGING = {"version": 1, "disable_existing_loggers": True}

# The peer logs every request at debug through structlog to stdout; Arogya runs at WARNING in the
# bench, so the peer does too (a fair comparison, not a handicap either way).
structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
USE_TZ = True
