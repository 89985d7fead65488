"""`IdentityRegistry`: the one interface flows and channels use for identity.

Why a port: an ABHA may be issued by this core (`embedded`, `core.healthid.HealthIdService`,
the default) or by the National Health Authority (`abdm`, `core.abdm.registry.AbdmRegistry`,
ABDM's ABHA v3 APIs). A conversation must read the same either way, so both adapters offer
exactly these methods, with the same typed errors (`core.errors`) and the same frozen views
(`core.healthid.views`). `build_registry` picks one from `AROGYA_REGISTRY`.

Records and consent through ABDM's consent manager (HIE-CM, milestones M2/M3) will be ports
of their own beside this one; this one is M1, identity only.
"""

from __future__ import annotations

import random
from typing import Protocol

from core.audit.service import AuditLog
from core.clock import Clock
from core.healthid.aadhaar_gateway import AadhaarGateway
from core.healthid.accounts import UNSET, Unset
from core.healthid.profile import SelfDeclaredProfile
from core.healthid.recovery import MobileChanged
from core.healthid.service import HealthIdService
from core.healthid.views import Enrolment, PersonView
from core.otp.service import OtpService, OtpTicket
from core.settings import Settings
from core.state import StateStore


class IdentityRegistry(Protocol):
    # enrolment: by Aadhaar OTP (KYC-verified) or by mobile OTP (self-declared)
    async def start_aadhaar(
        self, aadhaar: str, mobile: str, *, lang: str, channel: str
    ) -> OtpTicket: ...
    async def verify_aadhaar(self, txn_id: str, otp: str) -> Enrolment: ...
    async def start_mobile(self, mobile: str, *, lang: str, channel: str) -> OtpTicket: ...
    async def verify_mobile(self, txn_id: str, otp: str) -> Enrolment: ...
    # a health worker's attested enrolment of a person with no phone (core.workers.assisted):
    # her own phone's OTP opens the draft, outside its ABHA cap and hourly OTP limit
    async def start_attested(self, worker_mobile: str, *, lang: str, channel: str) -> OtpTicket: ...
    async def set_profile(self, draft_id: str, profile: SelfDeclaredProfile) -> Enrolment: ...
    async def resend_otp(self, txn_id: str, *, lang: str) -> OtpTicket: ...
    # the ABHA address: suggestions, a choice, then the ABHA itself
    async def suggest_addresses(self, draft_id: str) -> list[str]: ...
    async def choose_address(self, draft_id: str, handle: str) -> Enrolment: ...
    async def set_draft_pin(self, draft_id: str, pin: str) -> Enrolment: ...
    async def draft(self, draft_id: str) -> Enrolment: ...
    async def finish(self, draft_id: str, *, channel: str) -> PersonView: ...
    # log in / find my ABHA by ABHA number, ABHA address or mobile (a shared mobile lists all)
    async def start_login(self, identifier: str, *, lang: str, channel: str) -> OtpTicket: ...
    async def verify_login(self, txn_id: str, otp: str, *, channel: str) -> list[PersonView]: ...
    async def by_mobile(self, mobile: str) -> list[PersonView]: ...
    # an ABHA address (made with a mobile alone) linked to an ABHA number by Aadhaar OTP
    async def start_link_aadhaar(
        self, abha_number: str, aadhaar: str, *, lang: str, channel: str
    ) -> OtpTicket: ...
    async def verify_link_aadhaar(
        self, abha_number: str, txn_id: str, otp: str, *, channel: str
    ) -> PersonView: ...
    # recovery (core.healthid.recovery): a forgotten PIN is Arogya's own in both adapters (ABDM
    # has no PIN on an ABHA number); a mobile change goes to ABDM's profile update in `abdm`
    async def start_pin_reset(self, abha_number: str, *, lang: str, channel: str) -> OtpTicket: ...
    async def verify_pin_reset(self, txn_id: str, otp: str, *, channel: str) -> str: ...
    async def reset_pin(self, grant_id: str, pin: str, *, channel: str) -> None: ...
    async def open_mobile_change(
        self, abha_number: str, new_mobile: str, pin: str, *, channel: str
    ) -> str: ...
    async def prove_old_mobile(self, change_id: str, *, lang: str) -> OtpTicket: ...
    async def prove_by_aadhaar(self, change_id: str, aadhaar: str, *, lang: str) -> OtpTicket: ...
    async def confirm_mobile_holder(self, txn_id: str, otp: str, *, lang: str) -> OtpTicket: ...
    async def finish_mobile_change(
        self, txn_id: str, otp: str, *, channel: str
    ) -> MobileChanged: ...
    # profile and card; in `abdm` mode only the language changes here (core.abdm.profile_changes)
    async def get(self, abha_number: str) -> PersonView: ...
    async def update_profile(
        self,
        abha_number: str,
        *,
        email: str | Unset | None = UNSET,
        address: str | Unset | None = UNSET,
        language: str | Unset = UNSET,
        channel: str,
    ) -> PersonView: ...
    async def card_png(self, abha_number: str, lang: str) -> bytes: ...


def build_registry(
    settings: Settings,
    clock: Clock,
    rng: random.Random,
    otp: OtpService,
    aadhaar: AadhaarGateway,
    audit: AuditLog,
    state: StateStore | None = None,
) -> HealthIdService:
    """The adapter `AROGYA_REGISTRY` names; an `abdm` one owns an HTTP client to close."""
    if settings.registry == "abdm":
        from core.abdm.client import AbdmClient
        from core.abdm.registry import AbdmRegistry

        client = AbdmClient(settings, clock)
        return AbdmRegistry(settings, clock, rng, otp, aadhaar, audit, client, state=state)
    return HealthIdService(settings, clock, rng, otp, aadhaar, audit, state=state)
