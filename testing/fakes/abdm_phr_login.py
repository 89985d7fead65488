"""The loopback ABDM's ABHA-address login (the PHR service's web login, M1 VRFY_ABHA_202).

As published (nha-in/docs .../abdm-m1, "ABHA address login via Mobile OTP"):
`POST /v3/phr/web/login/abha/request/otp` takes scope `abha-address-login` + `mobile-verify`,
loginHint `abha-address`, the address (`name@sbx`) RSA-encrypted as loginId and otpSystem
`abdm`, and sends ABDM's OTP to the address's mobile (named masked in the message);
`POST /v3/phr/web/login/abha/verify` takes the same scope and `authData` {authMethods ["otp"],
otp {txnId, otpValue}}, and answers `authResult`, the `users` the address stands for and the
user token in `tokens`; `GET /v3/phr/web/login/profile/abha-profile` (that X-token) answers the
PHR profile (`abhaAddress`, `abhaNumber`, `dateOfBirth`, `mobile`, ...). An unknown address is
ABDM-1114; a wrong OTP is `authResult: failed`, as on the ABHA-number login.

An address with no ABHA number behind it (made with a mobile alone, in the PHR app) is
`desk.phr_only[address] = Resident(...)`: its profile has an empty `abhaNumber`.
"""

from __future__ import annotations

import re
import uuid
from typing import TYPE_CHECKING

from aiohttp import web

from testing.fakes.abdm_people import MAX_OTP_ATTEMPTS, Resident

if TYPE_CHECKING:
    from testing.fakes.abdm import FakeAbdm

SCOPE = ["abha-address-login", "mobile-verify"]
_ADDRESS = re.compile(r"[a-z0-9._]+@[a-z]+")


class PhrDesk:
    def __init__(self) -> None:
        #: ABHA addresses with no ABHA number: address -> who holds it (their mobile).
        self.phr_only: dict[str, Resident] = {}
        #: Login transaction -> the address it is for, and X-token -> address.
        self.txn_address: dict[str, str] = {}
        self.tokens: dict[str, str] = {}


def add_phr_login_routes(fake: FakeAbdm, prefix: str) -> PhrDesk:
    from testing.fakes.abdm import _json, bad_fields, fault

    desk = PhrDesk()

    def find(address: str) -> tuple[str, Resident, str] | None:
        """(ABHA number or "", the person, their mobile) behind an address."""
        for abha in fake.people.abhas.values():
            if address in abha.addresses and abha.mobile:
                return abha.number, fake.people.residents[abha.aadhaar], abha.mobile
        who = desk.phr_only.get(address)
        return ("", who, who.mobile) if who is not None else None

    async def request_otp(request: web.Request) -> web.Response:
        body = await _json(request)
        if body.get("scope") != SCOPE or body.get("otpSystem") != "abdm":
            return bad_fields(scope="Invalid Scope")
        if body.get("loginHint") != "abha-address":
            return bad_fields(loginHint="Invalid Login Hint")
        address = fake.decrypt(body.get("loginId"))
        if address is None or not _ADDRESS.fullmatch(address):
            return bad_fields(loginId="Invalid LoginId")
        found = find(address)
        if found is None:
            return fault(400, "ABDM-1114", "ABHA Address not found.")
        _, _, mobile = found
        txn = fake.people.open_txn("phr-login", fake.now(), to=mobile)
        desk.txn_address[txn.id] = address
        message = f"OTP sent to mobile number ending with ******{mobile[-4:]}"
        return web.json_response({"txnId": txn.id, "message": message})

    async def verify(request: web.Request) -> web.Response:
        body = await _json(request)
        auth = body.get("authData")
        otp = auth.get("otp") if isinstance(auth, dict) else None
        if body.get("scope") != SCOPE:
            return bad_fields(scope="Invalid Scope")
        if not isinstance(auth, dict) or auth.get("authMethods") != ["otp"]:
            return bad_fields(authMethods="Invalid Auth Methods")
        if not isinstance(otp, dict):
            return bad_fields(authData="Invalid Auth Data")
        value = fake.decrypt(otp.get("otpValue"))
        if value is None:
            return bad_fields(otpValue="Invalid OTP Value")
        txn = fake.people.txns.get(str(otp.get("txnId")))
        if txn is None or txn.kind != "phr-login" or txn.used or txn.expires_at <= fake.now():
            return fault(400, "ABDM-1017", "Invalid Transaction Id")
        if txn.attempts >= MAX_OTP_ATTEMPTS:
            return fault(400, "ABDM-1100", "Exceeded maximum number of attempts for OTP match")
        if value != txn.otp:
            txn.attempts += 1
            return web.json_response(
                {"authResult": "failed", "message": "Entered OTP is incorrect.", "users": []}
            )
        txn.used = True
        address = desk.txn_address.pop(txn.id)
        found = find(address)
        assert found is not None
        number, who, _ = found
        token = uuid.uuid4().hex
        desk.tokens[token] = address
        return web.json_response(
            {
                "message": "OTP verified successfully",
                "authResult": "success",
                "users": [
                    {
                        "abhaAddress": address,
                        "fullName": f"{who.first_name} {who.last_name}",
                        "abhaNumber": number,
                        "status": "ACTIVE",
                        "kycStatus": "VERIFIED" if number else "PENDING",
                    }
                ],
                "tokens": {
                    "token": token,
                    "expiresIn": 1800,
                    "refreshToken": uuid.uuid4().hex,
                    "refreshExpiresIn": 1296000,
                },
            }
        )

    async def profile(request: web.Request) -> web.Response:
        token = request.headers.get("X-token", "").removeprefix("Bearer ")
        address = desk.tokens.get(token)
        found = find(address) if address else None
        if address is None or found is None:
            return fault(401, "ABDM-1158", "Invalid X-Token")
        number, who, mobile = found
        return web.json_response(
            {
                "abhaAddress": address,
                "fullName": f"{who.first_name} {who.last_name}",
                "firstName": who.first_name,
                "middleName": "",
                "lastName": who.last_name,
                "dayOfBirth": str(who.birth.day),
                "monthOfBirth": str(who.birth.month),
                "yearOfBirth": str(who.birth.year),
                "dateOfBirth": who.birth.strftime("%d-%m-%Y"),
                "gender": who.gender,
                "email": None,
                "mobile": mobile,
                "abhaNumber": number,
                "address": who.address,
                "stateCode": who.state_code,
                "districtCode": who.district_code,
                "pinCode": who.pin_code,
                "authMethods": ["AADHAAR_OTP", "MOBILE_OTP"] if number else ["MOBILE_OTP"],
                "status": "ACTIVE",
                "kycStatus": "VERIFIED" if number else "PENDING",
            }
        )

    fake.app.router.add_post(f"{prefix}/phr/web/login/abha/request/otp", request_otp)
    fake.app.router.add_post(f"{prefix}/phr/web/login/abha/verify", verify)
    fake.app.router.add_get(f"{prefix}/phr/web/login/profile/abha-profile", profile)
    return desk
