"""Wiring a real HealthIdService for tests, and reading the OTPs it sends.

Why real parts: the service under test talks to the real OtpService, SmsService (outbox in the
test database, delivered by the LogGateway) and AuditLog; the only stand-in is the Aadhaar
sandbox, which is the production adapter for machines that cannot reach UIDAI.

    health = build_health_id(settings, clock, rng)
    ticket = await health.service.start_mobile("98765 43210", lang="en", channel="sms")
    code = await last_otp(health.sms, ticket.mobile)
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from core.audit.service import AuditLog
from core.clock import Clock
from core.healthid.aadhaar_gateway import SandboxAadhaarGateway
from core.healthid.drafts import DraftStore
from core.healthid.profile import SelfDeclaredProfile
from core.healthid.service import HealthIdService
from core.healthid.views import PersonView
from core.otp.service import OtpService
from core.settings import Settings
from core.sms.gateways import LogGateway
from core.sms.outbox import SmsService
from core.state import StateStore
from core.state.memory import MemoryStateStore

_OTP = re.compile(r"\b(\d{6})\b")


@dataclass(frozen=True)
class HealthIdWiring:
    service: HealthIdService
    otp: OtpService
    sms: SmsService
    gateway: LogGateway
    aadhaar: SandboxAadhaarGateway
    audit: AuditLog
    #: The service's enrolment drafts, read straight from its state store (tests peek here).
    drafts: DraftStore


def build_health_id(
    settings: Settings, clock: Clock, rng: random.Random, state: StateStore | None = None
) -> HealthIdWiring:
    """A HealthIdService on the fixtures' settings, clock, rng and state store (in-process
    when none is given), wired as in production."""
    store: StateStore = state if state is not None else MemoryStateStore()
    gateway = LogGateway()
    sms = SmsService(settings, clock, gateway, rng)
    otp = OtpService(settings, clock, rng, sms, state=store)
    aadhaar = SandboxAadhaarGateway(otp)
    audit = AuditLog(clock)
    service = HealthIdService(settings, clock, rng, otp, aadhaar, audit, state=store)
    drafts = DraftStore(store, settings.conversation_ttl_seconds)
    return HealthIdWiring(service, otp, sms, gateway, aadhaar, audit, drafts)


async def last_otp(sms: SmsService, mobile: str) -> str:
    """The code in the newest SMS queued for `mobile` (E.164), read from the outbox."""
    messages = await sms.sent_to(mobile)
    if not messages:
        raise AssertionError(f"no SMS was sent to {mobile}")
    match = _OTP.search(messages[-1].text)
    if match is None:
        raise AssertionError(f"the last SMS to {mobile} holds no OTP: {messages[-1].text!r}")
    return match.group(1)


async def enrol_with_aadhaar(
    health: HealthIdWiring,
    aadhaar: str,
    mobile: str,
    *,
    handle: str | None = None,
    pin: str | None = None,
    lang: str = "en",
    channel: str = "sms",
) -> PersonView:
    """Walk the Aadhaar path end to end; returns the new ABHA (or the existing one)."""
    service = health.service
    ticket = await service.start_aadhaar(aadhaar, mobile, lang=lang, channel=channel)
    enrolment = await service.verify_aadhaar(
        ticket.txn_id, await last_otp(health.sms, ticket.mobile)
    )
    if enrolment.existing is not None:
        return enrolment.existing
    return await _choose_and_finish(health, enrolment.draft_id, handle, pin, channel)


async def enrol_with_mobile(
    health: HealthIdWiring,
    mobile: str,
    profile: SelfDeclaredProfile,
    *,
    handle: str | None = None,
    pin: str | None = None,
    lang: str = "en",
    channel: str = "sms",
) -> PersonView:
    """Walk the no-Aadhaar path (mobile OTP, self-declared profile) end to end."""
    service = health.service
    ticket = await service.start_mobile(mobile, lang=lang, channel=channel)
    enrolment = await service.verify_mobile(
        ticket.txn_id, await last_otp(health.sms, ticket.mobile)
    )
    await service.set_profile(enrolment.draft_id, profile)
    return await _choose_and_finish(health, enrolment.draft_id, handle, pin, channel)


async def _choose_and_finish(
    health: HealthIdWiring, draft_id: str, handle: str | None, pin: str | None, channel: str
) -> PersonView:
    service = health.service
    if handle is None:
        handle = (await service.suggest_addresses(draft_id))[0]
    await service.choose_address(draft_id, handle)
    if pin is not None:
        await service.set_draft_pin(draft_id, pin)
    return await service.finish(draft_id, channel=channel)


def profile(**overrides: object) -> SelfDeclaredProfile:
    """A valid self-declared profile; override any field."""
    values: dict[str, object] = {
        "first_name": "Sunita",
        "last_name": "Devi",
        "year_of_birth": 1988,
        "gender": "F",
        "state_lgd": 9,
        "district_lgd": 162,
        "pin_code": "226001",
    }
    values.update(overrides)
    return SelfDeclaredProfile(**values)  # type: ignore[arg-type]
