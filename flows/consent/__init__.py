"""My consents: the requests to see a person's records, answered on any phone.

USSD, English (one Health ID on this phone):

    5 (My consents) -> Consents of Asha / Waiting for your answer: 1
                       1. Sanjeevani Hospital asks (4F7K) 2. Active consents (0)
                       3. Denied, revoked, expired 4. Who saw my records
    1               -> Show your records to Sanjeevani Hospital? 1. Yes 2. No 3. Read in full
                       0. Back
    3 (if wanted)   -> Dr. Meera Iyer of Sanjeevani Hospital asks to see your prescriptions, test
                       reports from 01-01-2024 to 20-11-2026, for your care, until 20-12-2026.
                       Code 4F7K. 1. Approve 2. Deny 0. Back (to the question)
    1               -> Type your 4-digit PIN to let Sanjeevani Hospital see these records
    4826            -> Approved. Sanjeevani Hospital can see these records from 1 place(s) until
                       20-12-2026. / Consents of Asha ...

SMS, answering the notice ("... Reply YES 4F7K or NO 4F7K."):

    YES 4F7K        -> Type your 4-digit PIN to let Sanjeevani Hospital see these records
    4826            -> Approved. Sanjeevani Hospital can see these records ...

Telegram, the same request: 1. Approve 2. Approve only part… 3. Deny 4. Back; "Approve only
part…" walks kinds, places and dates (toggles), then a summary, then the PIN (`narrow`).

Modules in the order a person meets them: `entry` (who is this phone), `lists`, `answer`
(with `current`, the request being answered), `narrow` and `keep` (Telegram's partial approval),
`replies` (answers by code), `words` (how a consent reads), `flow` (the steps).
"""

from __future__ import annotations

from core.services import Services
from flows import Flow
from flows.consent.entry import FLOW, open_consents
from flows.consent.flow import consents_flow
from flows.consent.replies import catch_reply, parse_reply


def consent_flows() -> list[Flow[Services]]:
    """The flows to register with the engine (`flows.registry`)."""
    return [consents_flow()]


__all__ = ["FLOW", "catch_reply", "consent_flows", "open_consents", "parse_reply"]
