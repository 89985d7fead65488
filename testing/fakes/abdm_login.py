"""The loopback ABDM's login: find my ABHA by mobile (every account on it), ABHA number or
Aadhaar.

As published (nha-in/docs .../abdm-m1, kiranma72/abdm-docs static/Postman/Login_ABHA_Using_
Mobile.json): `profile/login/request/otp` (scope `abha-login` + `mobile-verify`, loginHint
`mobile` with 10 digits or `abha-number` with its dashes, otpSystem `abdm`), `profile/login/
verify` (a wrong OTP is a 200 with `authResult: failed`; the accounts list and a T-token on
success), `verify/user` (T-token -> the chosen account's X-token), `profile/account`
(X-token -> the profile). A mobile holding no ABHA is ABDM-1114, "ABHA not found".
By Aadhaar (nha-in/docs M1 "Login via Aadhaar number" / "Forgot ABHA via Aadhaar"): scope
`abha-login` + `aadhaar-verify`, loginHint `aadhaar`, otpSystem `aadhaar`; UIDAI's OTP to the
Aadhaar-linked mobile; `verify` answers the one ABHA's X-token as its `token` (NHA names a
T-token only for the mobile login), so no `verify/user` follows.
"""

from __future__ import annotations

import re
import uuid
from typing import TYPE_CHECKING

from aiohttp import web

from testing.fakes.abdm_people import MAX_OTP_ATTEMPTS

if TYPE_CHECKING:
    from testing.fakes.abdm import FakeAbdm

SCOPE = ["abha-login", "mobile-verify"]
#: "Login via Aadhaar number" / "Forgot ABHA via Aadhaar" (UIDAI's OTP).
AADHAAR_SCOPE = ["abha-login", "aadhaar-verify"]


def add_login_routes(fake: FakeAbdm, prefix: str) -> None:
    from testing.fakes.abdm import _json, bad_fields, fault

    t_tokens: dict[str, str] = {}  # T-token -> login txn id
    x_tokens = fake.x_tokens  # X-token -> ABHA number (the profile routes read them too)

    def aadhaar_otp(body: dict[str, object]) -> web.Response:
        """Find my ABHA by Aadhaar: UIDAI's OTP to the Aadhaar-linked mobile."""
        if body.get("otpSystem") != "aadhaar":
            return bad_fields(otpSystem="Invalid OTP System")
        aadhaar = fake.decrypt(body.get("loginId"))
        if aadhaar is None or not re.fullmatch(r"\d{12}", aadhaar):
            return bad_fields(loginId="Invalid LoginId")
        resident = fake.people.residents.get(aadhaar)
        if resident is None:
            return fault(400, "ABDM-1204", "UIDAI Error code : 998 : Invalid Aadhaar Number")
        abha = fake.people.abha_of(aadhaar)
        if abha is None:
            return fault(400, "ABDM-1114", "ABHA Number not found.")
        txn = fake.people.open_txn("login", fake.now(), to=resident.mobile, aadhaar=aadhaar)
        txn.abha = abha.number
        return web.json_response(
            {
                "txnId": txn.id,
                "message": "OTP sent to Aadhaar registered mobile number ending with "
                f"******{resident.mobile[-4:]}",
            }
        )

    async def request_otp(request: web.Request) -> web.Response:
        body = await _json(request)
        if body.get("scope") == AADHAAR_SCOPE and body.get("loginHint") == "aadhaar":
            return aadhaar_otp(body)
        if body.get("scope") != SCOPE or body.get("otpSystem") != "abdm":
            return bad_fields(scope="Invalid Scope")
        login_id = fake.decrypt(body.get("loginId"))
        hint = body.get("loginHint")
        if login_id is None:
            return bad_fields(loginId="Invalid LoginId")
        if hint == "mobile" and re.fullmatch(r"[6-9]\d{9}", login_id):
            held = fake.people.held_by(login_id)
            to = login_id
        elif hint == "abha-number" and re.fullmatch(r"\d\d-\d{4}-\d{4}-\d{4}", login_id):
            abha = fake.people.abhas.get(login_id)
            held = [abha] if abha is not None and abha.mobile else []
            to = held[0].mobile if held and held[0].mobile else ""
        else:
            return bad_fields(loginId="LoginId is invalid")
        if not held:
            return fault(
                400,
                "ABDM-1114",
                "ABHA Number not found. We did not find any ABHA "
                "number linked to this mobile number.",
            )
        txn = fake.people.open_txn("login", fake.now(), to=to)
        txn.abha = held[0].number if hint == "abha-number" else None
        return web.json_response(
            {
                "txnId": txn.id,
                "message": f"OTP is sent to Mobile number ending with ******{to[-4:]}",
            }
        )

    async def verify(request: web.Request) -> web.Response:
        body = await _json(request)
        auth = body.get("authData")
        otp = auth.get("otp") if isinstance(auth, dict) else None
        if body.get("scope") not in (SCOPE, AADHAAR_SCOPE) or not isinstance(otp, dict):
            return bad_fields(authData="Invalid Auth Data")
        value = fake.decrypt(otp.get("otpValue"))
        if value is None:
            return bad_fields(otpValue="Invalid OTP Value")
        txn = fake.people.txns.get(str(otp.get("txnId")))
        if txn is None or txn.kind != "login" or txn.used or txn.expires_at <= fake.now():
            return fault(400, "ABDM-1017", "Invalid Transaction Id")
        if body.get("scope") != (AADHAAR_SCOPE if txn.aadhaar else SCOPE):
            return bad_fields(scope="Invalid Scope")
        if txn.attempts >= MAX_OTP_ATTEMPTS:
            return fault(400, "ABDM-1100", "Exceeded maximum number of attempts for OTP match")
        if value != txn.otp:
            txn.attempts += 1
            return web.json_response(
                {
                    "txnId": txn.id,
                    "authResult": "failed",
                    "accounts": [],
                    "message": "Entered OTP is incorrect. Kindly re-enter valid OTP.",
                }
            )
        txn.used = True
        held = [fake.people.abhas[txn.abha]] if txn.abha else fake.people.held_by(str(txn.mobile))
        token = uuid.uuid4().hex
        if txn.aadhaar:  # one Aadhaar, one ABHA: the X-token itself, no account to pick
            x_tokens[token] = str(txn.abha)
        else:
            t_tokens[token] = txn.id
        accounts = []
        for abha in held:
            who = fake.people.residents[abha.aadhaar]
            accounts.append(
                {
                    "ABHANumber": abha.number,
                    "preferredAbhaAddress": abha.addresses[0] if abha.addresses else None,
                    "name": who.full_name,
                    "gender": who.gender,
                    "dob": who.birth.strftime("%d-%m-%Y"),
                    "status": abha.status,
                    "kycVerified": True,
                }
            )
        return web.json_response(
            {
                "txnId": txn.id,
                "authResult": "success",
                "message": "OTP verified successfully",
                "token": token,
                "expiresIn": 1800,
                "accounts": accounts,
            }
        )

    async def verify_user(request: web.Request) -> web.Response:
        body = await _json(request)
        txn_id = t_tokens.get(request.headers.get("T-token", "").removeprefix("Bearer "))
        if txn_id is None or txn_id != body.get("txnId"):
            return fault(401, "ABDM-2401", "Invalid T-token")
        number = str(body.get("ABHANumber"))
        txn = fake.people.txns[txn_id]
        allowed = (
            [txn.abha] if txn.abha else [a.number for a in fake.people.held_by(str(txn.mobile))]
        )
        if number not in allowed:
            return fault(400, "ABDM-1013", "Invalid ABHA Number")
        token = uuid.uuid4().hex
        x_tokens[token] = number
        return web.json_response(
            {
                "token": token,
                "expiresIn": 1800,
                "refreshToken": uuid.uuid4().hex,
                "tokenType": "bearer",
            }
        )

    async def account(request: web.Request) -> web.Response:
        number = x_tokens.get(request.headers.get("X-token", "").removeprefix("Bearer "))
        if number is None:
            return fault(401, "ABDM-1158", "Invalid X-Token")
        abha = fake.people.abhas[number]
        profile = fake.people.profile(abha)
        profile["preferredAbhaAddress"] = abha.addresses[0] if abha.addresses else None
        return web.json_response(profile)

    fake.app.router.add_post(f"{prefix}/profile/login/request/otp", request_otp)
    fake.app.router.add_post(f"{prefix}/profile/login/verify", verify)
    fake.app.router.add_post(f"{prefix}/profile/login/verify/user", verify_user)
    fake.app.router.add_get(f"{prefix}/profile/account", account)
