"""The peer's one route: Africa's Talking's USSD callback, as ussd_airflow ships it."""

# mypy: ignore-errors
# (runs in the peer's own virtualenv: Django 2.2 and ussd_airflow are not the project's)

from django.urls import path
from ussd.views import AfricasTalkingUssdGateway

urlpatterns = [path("ussd", AfricasTalkingUssdGateway.as_view())]
