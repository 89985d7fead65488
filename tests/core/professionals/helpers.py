"""The registry wired as production wires it, plus the steps every test repeats.

Real parts throughout: the OTP service sends through the SMS outbox into a `LogGateway` (whose
messages a test reads the way a doctor reads their phone), facilities come from the real HFR
service, and decisions are queued in the real notifier's outbox.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from typing import Any

from core.audit.service import AuditLog
from core.clock import FrozenClock
from core.facilities.draft import FacilityDraft
from core.facilities.service import FacilityService
from core.healthid import mobile as mobiles
from core.notify.service import Notifier
from core.otp.service import OtpService
from core.professionals.application import Application
from core.professionals.officers import OfficerIdentity
from core.professionals.service import ProfessionalService
from core.professionals.views import ProfessionalView
from core.settings import Settings
from core.sms.gateways import LogGateway
from core.sms.outbox import SmsService
from core.state import StateStore
from testing.professionals import PASSWORD, application
from tests.core.fakes import last_code


@dataclass
class Wiring:
    settings: Settings
    clock: FrozenClock
    rng: random.Random
    gateway: LogGateway
    audit: AuditLog
    notifier: Notifier
    facilities: FacilityService
    registry: ProfessionalService


def build(
    settings: Settings, clock: FrozenClock, rng: random.Random, state: StateStore | None = None
) -> Wiring:
    """`state`: the store under test (Redis when configured) for sign-in strikes."""
    gateway = LogGateway()
    sms = SmsService(settings, clock, gateway, rng)
    otp = OtpService(settings, clock, rng, sms)
    audit = AuditLog(clock)
    notifier = Notifier(clock, rng)
    registry = ProfessionalService(settings, clock, rng, otp, audit, notifier=notifier, state=state)
    return Wiring(
        settings, clock, rng, gateway, audit, notifier, FacilityService(clock, rng, audit), registry
    )


async def proven_mobile(wiring: Wiring, mobile: str = "+919876543210") -> str:
    """Verify `mobile` by OTP the way a doctor does; returns the transaction id."""
    ticket = await wiring.registry.start_mobile_verification(mobile, "en")
    await wiring.registry.verify_mobile(ticket.txn_id, last_code(wiring.gateway, mobile))
    return ticket.txn_id


async def register(
    wiring: Wiring, app: Application | None = None, **overrides: Any
) -> ProfessionalView:
    """Prove the application's mobile, then register it (over the API, as a partner)."""
    app = replace(app or application(), **overrides)
    txn_id = await proven_mobile(wiring, mobiles.parse(app.mobile))
    return await wiring.registry.register(
        app, mobile_txn_id=txn_id, channel="api", actor="partner:test"
    )


async def facility(
    wiring: Wiring,
    *,
    name: str = "Civic Hospital Pune",
    district: int = 490,
    pincode: str = "411001",
    state: int = 27,
    verified: bool = True,
) -> str:
    """A facility in the HFR (VERIFIED unless told otherwise); returns its id."""
    draft = FacilityDraft(
        name=name,
        facility_type="hospital",
        ownership="public",
        system_of_medicine="modern_medicine",
        address="12 Station Road, Pune",
        state_code=state,
        district_code=district,
        pincode=pincode,
        phone="+912026123456",
    )
    view = await wiring.facilities.register(draft, actor="admin:test", submit=True)
    if verified:
        await wiring.facilities.verify(view.id, admin="admin:test")
    return view.id


async def officer(
    wiring: Wiring, council: str = "MH", username: str | None = None
) -> OfficerIdentity:
    return await wiring.registry.officers.create(
        council, username or f"{council.lower()}.registrar", PASSWORD
    )
