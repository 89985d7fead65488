"""The communication mobile, within an ABDM enrolment (M1's CRT_ABHA_108/109, C1).

ABDM links the mobile given to `enrol/byAadhaar` at once only when it is the Aadhaar-linked
one; otherwise the ABHA is made without it and ABDM's own OTP must prove it:
`request/otp` (scope `abha-enrol` + `mobile-verify`, loginHint `mobile`, otpSystem `abdm`, the
enrolment's txnId) then `auth/byAbdm`. The flows need no new step: the Aadhaar OTP step says
"an OTP was sent to your mobile" (`Pending`, not a mistake) and takes that code next, and its
"send again" asks ABDM for a fresh one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.abdm import wire
from core.abdm.models import AbdmEnrolment
from core.errors import InvalidInput, Pending
from core.healthid import mobile as mobile_numbers
from core.healthid.drafts import Draft

if TYPE_CHECKING:
    from core.abdm.enrol import AbdmEnrolling

SCOPE = ["abha-enrol", "mobile-verify"]


async def ask_mobile_otp(registry: AbdmEnrolling, side: AbdmEnrolment, e164: str) -> None:
    """ABDM sends its OTP to the communication mobile; the side remembers it is owed."""
    login_id = await registry._encrypt(e164.removeprefix("+91"))
    await registry._abdm(
        "POST",
        wire.ENROL_OTP_PATH,
        {
            "txnId": side.txn_id,
            "scope": SCOPE,
            "loginHint": "mobile",
            "loginId": login_id,
            "otpSystem": "abdm",
        },
    )
    side.mobile_pending = True
    await side.save(update_fields=["mobile_pending"])


def pending(e164: str) -> Pending:
    return Pending("abdm.mobile_otp_sent", mobile=mobile_numbers.mask(e164))


async def check_mobile_otp(
    registry: AbdmEnrolling, side: AbdmEnrolment, draft: Draft, otp: str
) -> None:
    """`auth/byAbdm`: the mobile is on the ABHA, or the code was wrong (said as usual)."""
    answer = await registry._abdm(
        "POST",
        wire.ENROL_AUTH_BY_ABDM_PATH,
        {
            "scope": SCOPE,
            "authData": {
                "authMethods": ["otp"],
                "otp": {
                    "timeStamp": wire.timestamp(registry._clock.now()),
                    "txnId": side.txn_id,
                    "otpValue": await registry._encrypt(otp),
                },
            },
        },
    )
    if answer.get("authResult") != "success":
        raise InvalidInput("abdm.otp_invalid")
    side.mobile_pending = False
    await side.save(update_fields=["mobile_pending"])
    draft.mobile_verified = True  # stored by the caller's `_save`
