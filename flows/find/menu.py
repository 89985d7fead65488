"""The "find" menu the main menu leads to: a facility, a doctor, or (for doctors) registering.

5 (Find a doctor or hospital) -> Find: 1. A hospital, clinic or lab 2. A doctor
                                 3. I am a doctor: register
"""

from __future__ import annotations

from core.services import Services
from flows import Flow, Go, Menu, Option
from flows.doctors.registration import FLOW as REGISTRATION_FLOW
from flows.find.doctor import FLOW as DOCTOR_FLOW
from flows.find.facility import FLOW as FACILITY_FLOW

FLOW = "find"


def menu_flow() -> Flow[Services]:
    return Flow[Services](
        FLOW,
        [
            Menu(
                "menu",
                "find.menu.ask",
                [
                    Option("facility", "find.menu.facility", Go(flow=FACILITY_FLOW)),
                    Option("doctor", "find.menu.doctor", Go(flow=DOCTOR_FLOW)),
                    Option("register", "find.menu.register", Go(flow=REGISTRATION_FLOW)),
                ],
            )
        ],
        help_key="find.help",
    )
