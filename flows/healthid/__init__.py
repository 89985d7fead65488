"""The Health ID conversations: the main menu, creating a Health ID, and "My Health ID".

Written once, run by the engine on USSD, SMS and Telegram alike; see each module's docstring
for its transcript.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from core.services import Services
from flows import Engine, Flow, Go
from flows.consent import catch_reply, consent_flows
from flows.find import SHORTCUTS as FIND_SHORTCUTS
from flows.find import find_flows
from flows.healthid.enrol import enrol_flow
from flows.healthid.main import ROOT, help_flow, language_flow, main_flow
from flows.healthid.myid import myid_flow

#: Keywords that jump straight to a flow, in both scripts (`ABHA` by SMS starts the Health ID menu).
SHORTCUTS: Mapping[str, Go] = {
    "ABHA": Go(flow=ROOT),
    "आभा": Go(flow=ROOT),
    "NEW": Go(flow="enrol"),
    "नया": Go(flow="enrol"),
    **FIND_SHORTCUTS,
}


def healthid_flows() -> list[Flow[Services]]:
    # Imported here: "My records" logs in with this package's steps, so a module-level import
    # would be circular whichever package is imported first.
    from flows.records import records_flow

    return [
        main_flow(),
        enrol_flow(),
        myid_flow(),
        records_flow(),
        language_flow(),
        help_flow(),
        *find_flows(),
        *consent_flows(),
    ]


def health_engine(services: Services, *, ids: Callable[[], str] | None = None) -> Engine[Services]:
    """The one engine every channel talks to, on the services' state store, clock and rng."""
    return Engine(
        healthid_flows(),
        ROOT,
        services=services,
        state=services.state,
        settings=services.settings,
        clock=services.clock,
        rng=services.rng,
        ids=ids,
        shortcuts=SHORTCUTS,
        catchers=(catch_reply,),
    )


__all__ = ["ROOT", "SHORTCUTS", "health_engine", "healthid_flows"]
