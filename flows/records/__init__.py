"""My records: log in with an OTP, type the PIN, read the records facilities pushed.

The steps in the order a person meets them (USSD, English):

    3 (My health records) -> Log in with 9876543210? 1. Yes, this number 2. ABHA number or address
    1                     -> Type the 6-digit OTP sent to ******3210 1. Send OTP again
    123456                -> Type your 4-digit PIN to see your records
    4826                  -> Your records (8), newest first: 1. OP consultation 04-01-2024
                             2. OP consultation 07-08-2019 3. Health document 01-08-2019
                             4. More records 5. Choose a type
    2                     -> OP consultation, 7 Aug 2019 / Doctor: Dr Laxmikanth J / ...
                             1. Read on (2/3) 2. Back to my records
    1                     -> Medicines: / - tramadol and paracetamol 500 mg: as written "1 tablet
                             once a day" ... 1. Read on (3/3) 2. Back to my records
    5 (Choose a type)     -> Which records? 1. All records 2. Prescription 3. Diagnostic report ...

Login is the one "My Health ID" uses (`flows.login`); the PIN is `flows.records.pin`,
the list `flows.records.listing`, a record `flows.records.reading` (cut into `parts`, its
lines broken between `phrases` for a USSD screen). Being logged in lasts as long
as this flow: the data is flow-local, so the main menu forgets the holder and the PIN.
"""

from __future__ import annotations

from core.services import Services
from flows import Flow, Prompt
from flows.login import login_steps
from flows.pin import parse_pin
from flows.records.listing import RecordListStep, types_menu
from flows.records.pin import PinStep, pin_confirmed
from flows.records.reading import RecordStep

FLOW = "records"


def records_flow() -> Flow[Services]:
    return Flow[Services](
        FLOW,
        [
            *login_steps(),
            PinStep("home"),
            Prompt("pin_again", "flows.pin.again", parse=parse_pin, then=pin_confirmed),
            RecordListStep("list"),
            types_menu("types"),
            RecordStep("record"),
        ],
        help_key="recordsflow.help",
    )


__all__ = ["FLOW", "records_flow"]
