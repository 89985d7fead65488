"""The peer's one route: Africa's Talking's USSD callback, as ussd_airflow ships it."""

from django.urls import path
from ussd.views import AfricasTalkingUssdGateway

urlpatterns = [path("ussd", AfricasTalkingUssdGateway.as_view())]
