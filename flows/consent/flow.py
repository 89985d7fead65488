"""The "My consents" flow, step by step (see `flows.consent` for the whole conversation).

Telegram reaches `home` through the login steps "My Health ID" uses; USSD and SMS are sent
straight to `home` (or `choose`, for a family's phone) by `flows.consent.entry.open_consents`,
and an answer by code straight to `confirm` (`flows.consent.replies`). The `narrow_*` steps,
between a request and its PIN, are reached only on a chat channel (`flows.consent.narrow`).
"""

from __future__ import annotations

from core.services import Services
from flows import Flow
from flows.consent.answer import ConfirmStep, GrantStep, RequestStep
from flows.consent.entry import FLOW
from flows.consent.lists import ActiveStep, HomeStep, PastStep, SeenStep
from flows.consent.narrow import DatesStep, PlacesStep, SummaryStep, TypesStep
from flows.login import login_steps


def consents_flow() -> Flow[Services]:
    return Flow[Services](
        FLOW,
        [
            *login_steps(),
            HomeStep(),
            RequestStep(),
            RequestStep("request_full", full=True),
            TypesStep(),
            PlacesStep(),
            DatesStep(),
            SummaryStep(),
            ConfirmStep(),
            ActiveStep(),
            GrantStep(),
            PastStep(),
            SeenStep(),
        ],
        help_key="consent.help",
    )
