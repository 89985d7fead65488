"""gunicorn's entry point for the peer."""

# mypy: ignore-errors
# (runs in the peer's own virtualenv: Django 2.2 and ussd_airflow are not the project's)

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.peer.settings")
application = get_wsgi_application()
