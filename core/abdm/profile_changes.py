"""Profile changes in `abdm` mode: what a holder may change here, and what only ABDM may.

ABHA v3 offers an ABHA holder's own profile changes through `profile/account/request/otp` and
`profile/account/verify` (X-token) by scope: `mobile-verify` (a new mobile, built:
`core.abdm.recovery`), `email-verify` (an e-mail, ABDM's OTP to it), re-KYC by Aadhaar OTP,
and `PATCH /v3/profile/account` for a photo (and a child's demographics). It offers no change
of name, birth date, gender or postal address on a KYC-verified ABHA: those are UIDAI's, and
every ABHA the `abdm` adapter mirrors is KYC-verified.

So here, `update_profile` keeps the language, which is Arogya's own (what a person hears; ABDM
has no such field), and refuses an e-mail or a postal address with a translated reply
(`abdm.profile_not_offered`) before anything is written: changing only the local mirror would
show a person details that no hospital sees. No channel asks for an e-mail or an address today
(the embedded registry's `update_profile` takes them for the partner side of its core API), so
ABDM's e-mail verification is not wired (docs/abdm.md).
"""

from __future__ import annotations

from core.abdm.recovery import AbdmRecovering
from core.errors import Conflict
from core.healthid.accounts import UNSET, Unset
from core.healthid.views import PersonView


class AbdmProfileChanges(AbdmRecovering):
    async def update_profile(
        self,
        abha_number: str,
        *,
        email: str | Unset | None = UNSET,
        address: str | Unset | None = UNSET,
        language: str | Unset = UNSET,
        channel: str,
    ) -> PersonView:
        self._check_channel(channel)
        if not isinstance(email, Unset) or not isinstance(address, Unset):
            await self._active_person(abha_number)  # an unknown ABHA is still abha.not_found
            raise Conflict("abdm.profile_not_offered")
        return await super().update_profile(abha_number, language=language, channel=channel)
