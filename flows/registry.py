"""Every Arogya conversation, the keywords that jump into them, and the engine that runs them.

Why one place: the engine checks at start-up that every step a flow names exists, in this flow
or another; that is only meaningful with the whole set in hand. Listing them here, once, keeps
each package free of the others (no package imports another's flows to register them).

    engine = health_engine(services)
    reply = await engine.handle(ConversationKey("ussd", "+919876543210"), Input(text="1"))
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from core.services import Services
from flows import Engine, Flow, Go
from flows.consent import catch_reply, consent_flows
from flows.doctors.registration import FLOW as REGISTRATION_FLOW
from flows.doctors.registration import registration_flow
from flows.find.doctor import doctor_flow
from flows.find.facility import facility_flow
from flows.find.menu import menu_flow as find_menu_flow
from flows.healthid.disown import FLOW as DISOWN_FLOW
from flows.healthid.disown import disown_flow
from flows.healthid.enrol import enrol_flow
from flows.healthid.leave import leave_flow
from flows.healthid.mobile_change import mobile_change_flow
from flows.healthid.myid import myid_flow
from flows.healthid.recover import pin_reset_flow
from flows.link_prompt import link_prompt_flow
from flows.linking import catch_link_reply
from flows.menu import ROOT, help_flow, language_flow, main_flow
from flows.records import records_flow
from flows.workers.enrol import worker_enrol_flow
from flows.workers.registration import FLOW as WORKER_REGISTRATION
from flows.workers.registration import registration_flow as worker_registration_flow

#: Keywords that jump straight to a flow, in both scripts (`ABHA` by SMS starts the Health ID
#: menu, `DOCTOR` a doctor's registration, also a Telegram `/start` deep link).
SHORTCUTS: Mapping[str, Go] = {
    "ABHA": Go(flow=ROOT),
    "आभा": Go(flow=ROOT),
    "NEW": Go(flow="enrol"),
    "नया": Go(flow="enrol"),
    "DOCTOR": Go(flow=REGISTRATION_FLOW),
    "डॉक्टर": Go(flow=REGISTRATION_FLOW),
    # not "ASHA": shortcuts work at any step, and Asha is a common first name
    "WORKER": Go(flow=WORKER_REGISTRATION),
    "कार्यकर्ता": Go(flow=WORKER_REGISTRATION),
    # "This wasn't me": a reply to the welcome SMS from the mobile an ABHA was made on
    "NOT ME": Go(flow=DISOWN_FLOW),
    "मैं नहीं": Go(flow=DISOWN_FLOW),
}


def all_flows() -> list[Flow[Services]]:
    """Every flow, the main menu first and then in the order of its options."""
    return [
        main_flow(),
        enrol_flow(),
        myid_flow(),
        leave_flow(),
        disown_flow(),
        records_flow(),
        language_flow(),
        help_flow(),
        find_menu_flow(),
        facility_flow(),
        doctor_flow(),
        registration_flow(),
        *consent_flows(),
        worker_registration_flow(),
        worker_enrol_flow(),
        pin_reset_flow(),
        mobile_change_flow(),
        link_prompt_flow(),
    ]


def health_engine(services: Services, *, ids: Callable[[], str] | None = None) -> Engine[Services]:
    """The one engine every channel talks to, on the services' state store, clock and rng."""
    return Engine(
        all_flows(),
        ROOT,
        services=services,
        state=services.state,
        settings=services.settings,
        clock=services.clock,
        rng=services.rng,
        ids=ids,
        shortcuts=SHORTCUTS,
        catchers=(catch_reply, catch_link_reply),
    )


__all__ = ["ROOT", "SHORTCUTS", "all_flows", "health_engine"]
