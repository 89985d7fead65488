"""The loopback ABDM's communication-mobile check, within an enrolment (CRT_ABHA_109, C1).

When the mobile given to `enrol/byAadhaar` is not the Aadhaar-linked one, ABDM makes the ABHA
without a mobile; `request/otp` (scope `abha-enrol` + `mobile-verify`, loginHint `mobile`,
otpSystem `abdm`, the enrolment's `txnId`) sends ABDM's own OTP to it and `auth/byAbdm`
checks it (a wrong code is `authResult: failed`), then the mobile is on the ABHA. Both keep
the enrolment's transaction id, as the published examples do.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from aiohttp import web

from testing.fakes.abdm_people import MAX_OTP_ATTEMPTS, SentOtp

if TYPE_CHECKING:
    from testing.fakes.abdm import FakeAbdm

SCOPE = ["abha-enrol", "mobile-verify"]


def send_mobile_otp(fake: FakeAbdm, body: dict[str, Any]) -> web.Response:
    from testing.fakes.abdm import bad_fields, fault

    if body.get("otpSystem") != "abdm":
        return bad_fields(otpSystem="Invalid OTP System")
    mobile = fake.decrypt(body.get("loginId"))
    if mobile is None or not re.fullmatch(r"[6-9]\d{9}", mobile):
        return bad_fields(loginId="Invalid LoginId")
    txn = fake.people.txns.get(str(body.get("txnId")))
    if txn is None or txn.abha is None or txn.expires_at <= fake.now():
        return fault(400, "ABDM-1017", "Invalid Transaction Id")
    txn.mobile_otp = f"{fake.people.rng.randrange(10**6):06d}"
    txn.mobile_to, txn.mobile_attempts = mobile, 0
    fake.people.send(SentOtp(mobile, txn.mobile_otp, txn.id))
    return web.json_response(
        {"txnId": txn.id, "message": f"OTP sent to mobile number ending with ******{mobile[-4:]}"}
    )


def add_mobile_routes(fake: FakeAbdm, prefix: str) -> None:
    from testing.fakes.abdm import _json, bad_fields, fault

    async def by_abdm(request: web.Request) -> web.Response:
        body = await _json(request)
        auth = body.get("authData")
        otp = auth.get("otp") if isinstance(auth, dict) else None
        if body.get("scope") != SCOPE or not isinstance(otp, dict):
            return bad_fields(scope="Invalid Scope")
        value = fake.decrypt(otp.get("otpValue"))
        if value is None:
            return bad_fields(otpValue="Invalid OTP Value")
        txn = fake.people.txns.get(str(otp.get("txnId")))
        if txn is None or txn.mobile_otp is None or txn.abha is None:
            return fault(400, "ABDM-1017", "Invalid Transaction Id")
        if txn.mobile_attempts >= MAX_OTP_ATTEMPTS:
            return fault(400, "ABDM-1100", "Exceeded maximum number of attempts for OTP match")
        if value != txn.mobile_otp:
            txn.mobile_attempts += 1
            return web.json_response(
                {"txnId": txn.id, "authResult": "failed", "message": "Entered OTP is incorrect."}
            )
        abha = fake.people.abhas[txn.abha]
        abha.mobile, txn.mobile_otp = txn.mobile_to, None
        return web.json_response(
            {
                "txnId": txn.id,
                "authResult": "success",
                "message": "Mobile number is now successfully linked",
                "accounts": [{"ABHANumber": abha.number}],
            }
        )

    fake.app.router.add_post(f"{prefix}/enrollment/auth/byAbdm", by_abdm)
