"""The loopback ABDM's profile update: a new mobile on an ABHA, proved by an OTP to it.

As published (nha-in/docs .../abdm-m1 "Change the mobile number on an ABHA profile", the
endpoint pages of `POST /abha/api/v3/profile/account/request/otp` and `.../verify`): both calls
carry the person's X-token (from `profile/login/verify/user`); `request/otp` takes scope
`abha-profile` + `mobile-verify`, loginHint `mobile`, the new 10-digit number RSA-encrypted as
loginId and otpSystem `abdm`, and answers a txnId (the OTP goes to the *new* number);
`verify` takes the same scope and `authData` {authMethods ["otp"], otp {txnId, otpValue}},
and answers `authResult` success, "Mobile Number linked successfully" and the account. A
scope that differs from the request's is refused; a number already holding 6 ABHAs is
ABDM-1124; a wrong OTP is `authResult: failed`, as on login.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from aiohttp import web

from testing.fakes.abdm_people import MAX_OTP_ATTEMPTS

if TYPE_CHECKING:
    from testing.fakes.abdm import FakeAbdm

SCOPE = ["abha-profile", "mobile-verify"]
MAX_PER_MOBILE = 6


def add_profile_routes(fake: FakeAbdm, prefix: str) -> None:
    from testing.fakes.abdm import _json, bad_fields, fault

    def holder(request: web.Request) -> str | None:
        token = request.headers.get("X-token", "").removeprefix("Bearer ")
        return fake.x_tokens.get(token)

    async def request_otp(request: web.Request) -> web.Response:
        number = holder(request)
        if number is None:
            return fault(401, "ABDM-1158", "Invalid X-Token")
        body = await _json(request)
        if body.get("scope") != SCOPE or body.get("otpSystem") != "abdm":
            return bad_fields(scope="Invalid Scope")
        if body.get("loginHint") != "mobile":
            return bad_fields(loginHint="Invalid Login Hint")
        new = fake.decrypt(body.get("loginId"))
        if new is None or not re.fullmatch(r"[6-9]\d{9}", new):
            return bad_fields(loginId="Invalid LoginId")
        if fake.people.abhas[number].mobile == new:
            return bad_fields(loginId="Already verified mobile number")
        if len(fake.people.held_by(new)) >= MAX_PER_MOBILE:
            return fault(400, "ABDM-1124", "Mobile number already linked to 6 ABHA accounts")
        txn = fake.people.open_txn("profile-mobile", fake.now(), to=new, abha=number)
        message = f"OTP is sent to Mobile number ending with ******{new[-4:]}"
        return web.json_response({"txnId": txn.id, "message": message})

    async def verify(request: web.Request) -> web.Response:
        number = holder(request)
        if number is None:
            return fault(401, "ABDM-1158", "Invalid X-Token")
        body = await _json(request)
        auth = body.get("authData")
        otp = auth.get("otp") if isinstance(auth, dict) else None
        if body.get("scope") != SCOPE:
            return bad_fields(scope="Invalid Scope")
        if not isinstance(auth, dict) or not isinstance(otp, dict):
            return bad_fields(authData="Invalid Auth Data")
        if auth.get("authMethods") != ["otp"]:
            return bad_fields(authMethods="Invalid Auth Methods")
        value = fake.decrypt(otp.get("otpValue"))
        if value is None:
            return bad_fields(otpValue="Invalid OTP Value")
        txn = fake.people.txns.get(str(otp.get("txnId")))
        if (
            txn is None
            or txn.kind != "profile-mobile"
            or txn.abha != number
            or txn.used
            or txn.expires_at <= fake.now()
        ):
            return fault(400, "ABDM-1017", "Invalid Transaction Id")
        if txn.attempts >= MAX_OTP_ATTEMPTS:
            return fault(400, "ABDM-1100", "Exceeded maximum number of attempts for OTP match")
        if value != txn.otp:
            txn.attempts += 1
            return web.json_response(
                {"txnId": txn.id, "authResult": "failed", "message": "Entered OTP is incorrect."}
            )
        txn.used = True
        fake.people.abhas[number].mobile = txn.mobile
        return web.json_response(
            {
                "txnId": txn.id,
                "authResult": "success",
                "message": "Mobile Number linked successfully",
                "accounts": [{"ABHANumber": number}],
            }
        )

    fake.app.router.add_post(f"{prefix}/profile/account/request/otp", request_otp)
    fake.app.router.add_post(f"{prefix}/profile/account/verify", verify)
