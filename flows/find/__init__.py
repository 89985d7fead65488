"""Finding care, and a doctor joining the registry: conversations on every channel.

- `find` (the main menu's "Find a doctor or hospital"): a small menu leading to
- `facilities`: type, then state and district (or a PIN code), then VERIFIED facilities
  with their address and phone (`flows.find.facility`);
- `doctors`: specialisation, then the area, then VERIFIED doctors with their facility and
  its phone (`flows.find.doctor`);
- `hpr`: a doctor registers with the Healthcare Professionals Registry
  (`flows.find.doctor_registration`), reached by the `DOCTOR`/`डॉक्टर` shortcut, the find
  menu, or (Telegram) a `/start` deep link to `REGISTRATION_FLOW`.

Searching needs no login: both registries' lists are public. Messages are catalog keys
prefixed `find.` (locales/*/LC_MESSAGES/find.po).
"""

from __future__ import annotations

from collections.abc import Mapping

from core.services import Services
from flows import Flow, Go
from flows.find.doctor import FLOW as DOCTOR_FLOW
from flows.find.doctor import doctor_flow
from flows.find.doctor_registration import FLOW as REGISTRATION_FLOW
from flows.find.doctor_registration import registration_flow
from flows.find.facility import FLOW as FACILITY_FLOW
from flows.find.facility import facility_flow
from flows.find.menu import FLOW as FIND_FLOW
from flows.find.menu import menu_flow

#: Keywords that jump straight to a flow, in both scripts.
SHORTCUTS: Mapping[str, Go] = {
    "DOCTOR": Go(flow=REGISTRATION_FLOW),
    "डॉक्टर": Go(flow=REGISTRATION_FLOW),
}


def find_flows() -> list[Flow[Services]]:
    return [menu_flow(), facility_flow(), doctor_flow(), registration_flow()]


__all__ = [
    "DOCTOR_FLOW",
    "FACILITY_FLOW",
    "FIND_FLOW",
    "REGISTRATION_FLOW",
    "SHORTCUTS",
    "find_flows",
]
