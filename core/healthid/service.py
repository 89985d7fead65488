"""`HealthIdService`: the one door to the Health ID registry (see docs/core-api.md).

Every channel and the partner API go through it, so every rule is applied once: inputs are
validated and refused with a typed error carrying a stable code, multi-row changes happen in
one transaction, and every enrolment, login, profile change, PIN change and status change is
audited with who did it, to whom and on which channel.

The methods live in mixins, one per idea: `EnrolmentSteps` (a draft becoming an ABHA),
`AccountSteps` (living with an ABHA), extended by `LinkSteps` (an ABHA address getting its
number) and `RecoverySteps` (a forgotten PIN, a changed mobile). This module joins them and adds
what spans them.
"""

from __future__ import annotations

import asyncio

from core.healthid import card
from core.healthid.accounts import UNSET, Unset
from core.healthid.enrolment import EnrolmentSteps
from core.healthid.link import LinkSteps
from core.healthid.models import EnrolmentDraft, Kyc
from core.healthid.profile import Demographics, SelfDeclaredProfile
from core.healthid.recovery import RecoverySteps
from core.healthid.views import Enrolment, PersonView
from core.identity.models import AadhaarLink
from core.otp.service import OtpTicket

__all__ = [
    "UNSET",
    "Demographics",
    "Enrolment",
    "HealthIdService",
    "PersonView",
    "SelfDeclaredProfile",
    "Unset",
]


class HealthIdService(EnrolmentSteps, LinkSteps, RecoverySteps):
    async def resend_otp(self, txn_id: str, *, lang: str) -> OtpTicket:
        """A fresh OTP for any transaction this service started (Aadhaar, enrolment, login,
        an Aadhaar linked to an ABHA address)."""
        draft = await self._drafts.by_txn(txn_id)
        if draft is not None and draft.kyc is Kyc.VERIFIED:
            return await self._aadhaar.resend_otp(txn_id, lang=lang)
        if await AadhaarLink.exists(txn_id=txn_id):
            return await self._aadhaar.resend_otp(txn_id, lang=lang)
        if await self._proved_by_aadhaar(txn_id):  # a lost SIM's Aadhaar OTP
            return await self._aadhaar.resend_otp(txn_id, lang=lang)
        return await self._otp.resend(txn_id, lang)

    async def card_png(self, abha_number: str, lang: str) -> bytes:
        """The Health ID card as a PNG, labelled in `lang` (rendering runs off the loop)."""
        person = await self._active_person(abha_number)
        return await asyncio.to_thread(card.render_png, card.card_data(person), lang)

    async def close(self) -> None:
        """Nothing to release here; the `abdm` adapter closes its HTTP client."""

    async def purge_expired_drafts(self) -> int:
        """Housekeeping only: drafts live in the state store now and expire there; this drops
        the rows an older release left in `healthid_enrolment_draft`; returns how many."""
        return await EnrolmentDraft.filter(expires_at__lte=self._clock.now()).delete()
