"""`AbdmRegistry`: the `abdm` adapter of the identity port (`core.identity.port`).

Enrolment by Aadhaar OTP (`core.abdm.enrol`), log in / find my ABHA (`core.abdm.login`, by
ABHA address `core.abdm.address_login`), a mobile change (`core.abdm.recovery`), deactivating or
deleting (`core.abdm.leave`) and the ABHA card (`core.abdm.abha_card`) go to ABDM's ABHA v3;
profile changes ABDM does not offer are refused (`core.abdm.profile_changes`); everything else
is the embedded
registry applied to the local mirror of each ABDM ABHA (see `core.abdm.enrol` for why the
mirror exists).
"""

from __future__ import annotations

from core.abdm.abha_card import AbdmCarding
from core.abdm.address_login import AbdmAddressLogin
from core.abdm.leave import AbdmLeaving, Apply
from core.abdm.profile_changes import AbdmProfileChanges
from core.errors import Conflict
from core.healthid.models import Kyc
from core.healthid.views import PersonView
from core.otp.service import OtpTicket


class AbdmRegistry(AbdmCarding, AbdmAddressLogin, AbdmProfileChanges, AbdmLeaving):
    """The whole adapter; built by `core.identity.port.build_registry` for AROGYA_REGISTRY=abdm."""

    async def confirm_leave(self, txn_id: str, otp: str, apply: Apply) -> str:
        """As `AbdmLeaving.confirm_leave`, and the kept ABDM card and user token go with the
        ABHA: the login that proved the holder kept a token, and a deleted ABHA keeps nothing."""

        async def and_forget(action: str, abha_number: str) -> None:
            await apply(action, abha_number)
            await self.forget_card(abha_number)

        return await super().confirm_leave(txn_id, otp, and_forget)

    async def start_link_aadhaar(
        self, abha_number: str, aadhaar: str, *, lang: str, channel: str
    ) -> OtpTicket:
        """Not offered: every ABHA mirrored from ABDM has its number (ABDM's KYC), and the PHR
        APIs that link an ABHA address to an ABHA number are not wired (docs/abdm.md)."""
        self._check_channel(channel)
        person = await self._active_person(abha_number)
        if person.kyc is Kyc.VERIFIED:
            raise Conflict("abha.has_number")
        raise Conflict("abdm.link_not_offered")

    async def verify_link_aadhaar(
        self, abha_number: str, txn_id: str, otp: str, *, channel: str
    ) -> PersonView:
        """Not offered (see `start_link_aadhaar`): no link was ever started in this mode."""
        self._check_channel(channel)
        raise Conflict("abdm.link_not_offered")
