"""A loopback ABDM: the gateway session and ABHA v3 enrolment, speaking ABDM's published wire.

Why written from the spec and not from the client: it checks what ABDM checks, in its own
code (no import from `core.abdm`), so a client bug fails here instead of being mirrored:

- `POST /api/hiecm/gateway/v3/sessions` takes `clientId`, `clientSecret`, `grantType` and
  answers `accessToken`/`expiresIn`; a wrong secret is `ABDM-9999: ` "Invalid user credentials";
- every ABHA call needs `Authorization: Bearer <a live token>` (else 401, API-gateway shape
  `900901`), a UUID `REQUEST-ID` and a `TIMESTAMP` in UTC with milliseconds and `Z` (else
  `ABDM-1016`);
- Aadhaar numbers, mobiles and OTPs arrive RSA-OAEP(SHA-1) encrypted under the key it
  publishes at `/v3/profile/public/certificate` (bare base64 DER); it decrypts with its own
  private key, so plaintext or another padding is refused as a bad field;
- `request/otp` -> `enrol/byAadhaar` (consent `abha-enrollment` 1.4) -> `enrol/suggestion`
  (`TRANSACTION_ID` header) -> `enrol/abha-address`; one ABHA per Aadhaar (`isNew: false`),
  6 per mobile (`ABDM-1124`), wrong OTP (`ABDM-1204`, UIDAI 400), 5 wrong = `ABDM-1100`,
  a used or unknown transaction `ABDM-1017`, an address taken `ABDM-1101`;
- OTPs go to a sink (`people.sent`, `people.last_otp(mobile)`) the test reads as the phone.

Faults a test can ask for: `delay[path] = seconds` (a slow ABDM: it acts, then answers late),
`fail_next[path] = (status, body)`, `revoke_tokens()` (a token that dies before `expiresIn`).
"""

from __future__ import annotations

import asyncio
import base64
import random
import re
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from aiohttp import web
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from testing.fakes.abdm_card import add_card_routes
from testing.fakes.abdm_leave import add_leave_routes
from testing.fakes.abdm_login import add_login_routes
from testing.fakes.abdm_mobile import add_mobile_routes, send_mobile_otp
from testing.fakes.abdm_people import MAX_ABHAS_PER_MOBILE, MAX_OTP_ATTEMPTS, Abha, People
from testing.fakes.abdm_phr_login import add_phr_login_routes
from testing.fakes.abdm_profile import add_profile_routes

CLIENT_ID = "SBX_ARGY_0001"
CLIENT_SECRET = "fake-abdm-client-secret"
TOKEN_LIFE = 1200
_STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")
#: ABDM's ABHA address rule (CRT_ABHA_112): letters and/or digits, with at most one `.` and at
#: most one `_`, each between two of them (never first or last); 8-18 characters in all.
_HANDLE = re.compile(r"(?!.*\..*\.)(?!.*_.*_)[a-z0-9]+([._][a-z0-9]+)*")
Handler = Callable[[web.Request], Any]


def fault(status: int, code: str, message: str) -> web.Response:
    return web.json_response({"error": {"code": code, "message": message}}, status=status)


def bad_fields(**fields: str) -> web.Response:
    """ABDM's field-validation shape: field -> complaint, and a timestamp, HTTP 400."""
    return web.json_response({**fields, "timestamp": "07-12-2026 21:00:00"}, status=400)


class FakeAbdm:
    def __init__(self, now: Callable[[], datetime], *, seed: int = 1) -> None:
        self.now = now
        self.people = People(random.Random(seed))
        self.private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.tokens: dict[str, datetime] = {}
        self.sessions = 0
        self.delay: dict[str, float] = {}
        self.fail_next: dict[str, tuple[int, object]] = {}
        self.calls: list[str] = []
        #: Every request body as received, so a test can look for anything sent in clear.
        self.bodies: list[bytes] = []
        #: X-token -> the ABHA number it acts for (login's verify/user issues them).
        self.x_tokens: dict[str, str] = {}
        #: ABHA numbers deleted through `testing.fakes.abdm_leave`.
        self.deleted_abhas: set[str] = set()
        self.app = web.Application(middlewares=[self._wire])
        self.app.router.add_post("/api/hiecm/gateway/v3/sessions", self.session)
        abha = "/abha/api/v3"
        self.app.router.add_get(f"{abha}/profile/public/certificate", self.certificate)
        self.app.router.add_post(f"{abha}/enrollment/request/otp", self.request_otp)
        self.app.router.add_post(f"{abha}/enrollment/enrol/byAadhaar", self.by_aadhaar)
        self.app.router.add_get(f"{abha}/enrollment/enrol/suggestion", self.suggestion)
        self.app.router.add_post(f"{abha}/enrollment/enrol/abha-address", self.abha_address)
        add_login_routes(self, abha)
        add_mobile_routes(self, abha)
        add_profile_routes(self, abha)
        self.cards = add_card_routes(self, abha)
        self.phr = add_phr_login_routes(self, abha)
        add_leave_routes(self, abha)

    # --- the wire --------------------------------------------------------------------------

    def revoke_tokens(self) -> None:
        self.tokens.clear()

    @web.middleware
    async def _wire(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        path = request.path
        self.calls.append(path)
        self.bodies.append(await request.read())
        if path in self.fail_next:
            status, body = self.fail_next.pop(path)
            if isinstance(body, bytes):
                return web.Response(status=status, body=body, content_type="text/html")
            return web.json_response(body, status=status)
        try:
            uuid.UUID(request.headers.get("REQUEST-ID", ""))
        except ValueError:
            return fault(400, "ABDM-1030", "Request id not found")
        stamp = request.headers.get("TIMESTAMP", "")
        if not _STAMP.fullmatch(stamp):
            return fault(400, "ABDM-1016: ", "Invalid Timestamp")
        sent = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
        if abs(sent - self.now()) > timedelta(minutes=5):
            return fault(400, "ABDM-2402", "Timestamp out of the allowed window")
        if not path.endswith("/sessions"):
            auth = request.headers.get("Authorization", "")
            token = auth.removeprefix("Bearer ")
            live = self.tokens.get(token)
            if not auth.startswith("Bearer ") or live is None or live <= self.now():
                body = {
                    "code": "900901",
                    "message": "Invalid Credentials",
                    "description": "Invalid JWT token. Make sure you have provided the "
                    "correct security credentials",
                }
                return web.json_response(body, status=401)
        result: web.StreamResponse = await handler(request)
        if path in self.delay:  # the work is done, the answer comes late (or never, in time)
            await asyncio.sleep(self.delay[path])
        return result

    def decrypt(self, value: object) -> str | None:
        """What the client encrypted, or None if it is not our RSA-OAEP(SHA-1) ciphertext."""
        try:
            raw = base64.b64decode(str(value), validate=True)
            oaep = padding.OAEP(
                mgf=padding.MGF1(hashes.SHA1()),  # noqa: S303 (ABDM's published padding)
                algorithm=hashes.SHA1(),  # noqa: S303
                label=None,
            )
            return self.private.decrypt(raw, oaep).decode()
        except ValueError:
            return None

    async def session(self, request: web.Request) -> web.Response:
        body = await _json(request)
        if body.get("grantType") != "client_credentials":
            return bad_fields(grantType="Invalid Grant Type")
        if (body.get("clientId"), body.get("clientSecret")) != (CLIENT_ID, CLIENT_SECRET):
            return fault(401, "ABDM-9999: ", "Invalid user credentials")
        token = uuid.UUID(int=self.people.rng.getrandbits(128)).hex
        self.tokens[token] = self.now() + timedelta(seconds=TOKEN_LIFE)
        self.sessions += 1
        return web.json_response(
            {
                "accessToken": token,
                "expiresIn": TOKEN_LIFE,
                "refreshExpiresIn": 1800,
                "refreshToken": uuid.uuid4().hex,
                "tokenType": "bearer",
            }
        )

    async def certificate(self, request: web.Request) -> web.Response:
        der = self.private.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        return web.json_response(
            {
                "publicKey": base64.b64encode(der).decode(),
                "encryptionAlgorithm": "RSA/ECB/OAEPWithSHA-1AndMGF1Padding",
            }
        )

    # --- enrolment -------------------------------------------------------------------------

    async def request_otp(self, request: web.Request) -> web.Response:
        body = await _json(request)
        scope = body.get("scope")
        if scope == ["abha-enrol"] and body.get("loginHint") == "aadhaar":
            if body.get("otpSystem") != "aadhaar":
                return bad_fields(otpSystem="Invalid OTP System")
            aadhaar = self.decrypt(body.get("loginId"))
            if aadhaar is None or not re.fullmatch(r"\d{12}", aadhaar):
                return bad_fields(loginId="Invalid LoginId")
            resident = self.people.residents.get(aadhaar)
            if resident is None:
                return fault(400, "ABDM-1204", "UIDAI Error code : 998 : Invalid Aadhaar Number")
            txn = self.people.open_txn("aadhaar", self.now(), to=resident.mobile, aadhaar=aadhaar)
            return web.json_response(
                {
                    "txnId": txn.id,
                    "message": "OTP is sent to Aadhaar "
                    f"registered mobile number ending with ******{resident.mobile[-4:]}",
                }
            )
        if scope == ["abha-enrol", "mobile-verify"] and body.get("loginHint") == "mobile":
            return send_mobile_otp(self, body)
        return bad_fields(scope="Invalid Scope")

    async def by_aadhaar(self, request: web.Request) -> web.Response:
        body = await _json(request)
        auth = body.get("authData")
        consent = body.get("consent")
        if not isinstance(auth, dict) or auth.get("authMethods") != ["otp"]:
            return bad_fields(authMethods="AuthMethod cannot be null or empty")
        if consent != {"code": "abha-enrollment", "version": "1.4"}:
            return bad_fields(consentCode="Invalid Consent Code")
        otp = auth.get("otp") if isinstance(auth.get("otp"), dict) else {}
        assert isinstance(otp, dict)
        mobile = str(otp.get("mobile") or "")
        if not re.fullmatch(r"[6-9]\d{9}", mobile):
            return bad_fields(mobile="Invalid Mobile Number")
        value = self.decrypt(otp.get("otpValue"))
        if value is None:
            return bad_fields(otpValue="Invalid OTP Value")
        txn = self.people.txns.get(str(otp.get("txnId")))
        if txn is None or txn.kind != "aadhaar" or txn.used or txn.expires_at <= self.now():
            return fault(400, "ABDM-1017", "Invalid Transaction Id")
        if txn.attempts >= MAX_OTP_ATTEMPTS:
            return fault(
                400,
                "ABDM-1100",
                "You have requested multiple OTPs Or Exceeded "
                "maximum number of attempts for OTP match in this transaction.",
            )
        if value != txn.otp:
            txn.attempts += 1
            # HTTP 422, as NHA's M1 error table records it for enrol/byAadhaar (so is ABDM-1124)
            return fault(422, "ABDM-1204", "UIDAI Error code : 400 : Invalid Aadhaar OTP value.")
        assert txn.aadhaar is not None
        txn.used = True
        resident = self.people.residents[txn.aadhaar]
        abha = self.people.abha_of(txn.aadhaar)
        is_new = abha is None
        if abha is None:
            if len(self.people.held_by(mobile)) >= MAX_ABHAS_PER_MOBILE:
                return fault(
                    422,
                    "ABDM-1124",
                    "The mobile number provided by you is already "
                    "linked to 6 ABHA Numbers. Please provide a different Mobile Number",
                )
            linked = mobile if mobile == resident.mobile else None
            abha = Abha(self.people.new_number(), txn.aadhaar, linked)
            self.people.abhas[abha.number] = abha
        txn.abha = abha.number
        x_token = uuid.uuid4().hex  # the holder's user token: profile calls take it
        self.x_tokens[x_token] = abha.number
        return web.json_response(
            {
                "message": "Account created successfully"
                if is_new
                else "This account already exist",
                "txnId": txn.id,
                "tokens": {
                    "token": x_token,
                    "expiresIn": 1800,
                    "refreshToken": uuid.uuid4().hex,
                    "refreshExpiresIn": 1296000,
                },
                "ABHAProfile": self.people.profile(abha),
                "isNew": is_new,
            }
        )

    def _enrolled(self, txn_id: str) -> Abha | None:
        txn = self.people.txns.get(txn_id)
        if txn is None or txn.abha is None or txn.expires_at + timedelta(minutes=20) <= self.now():
            return None
        return self.people.abhas.get(txn.abha)

    async def suggestion(self, request: web.Request) -> web.Response:
        txn_id = request.headers.get("TRANSACTION_ID", "")
        abha = self._enrolled(txn_id)
        if abha is None:
            return fault(400, "ABDM-1017", "Invalid Transaction Id")
        resident = self.people.residents[abha.aadhaar]
        return web.json_response(
            {"txnId": txn_id, "abhaAddressList": self.people.suggestions(resident)}
        )

    async def abha_address(self, request: web.Request) -> web.Response:
        body = await _json(request)
        txn_id = str(body.get("txnId") or "")
        abha = self._enrolled(txn_id)
        if abha is None:
            return fault(400, "ABDM-1017", "Invalid Transaction Id")
        handle = str(body.get("abhaAddress") or "").lower()
        if not (8 <= len(handle) <= 18 and _HANDLE.fullmatch(handle)):
            return bad_fields(abhaAddress="Invalid ABHA Address")
        address = f"{handle}@{self.people.suffix}"
        if self.people.address_taken(address):
            return fault(
                400,
                "ABDM-1101",
                "This ABHA Address already exists. Please create with unique ABHA address",
            )
        if body.get("preferred") == 1:
            abha.addresses.insert(0, address)
        else:
            abha.addresses.append(address)
        return web.json_response(
            {"txnId": txn_id, "healthIdNumber": abha.number, "preferredAbhaAddress": address}
        )


async def _json(request: web.Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
