"""ABDM's wire conventions, apart from any one call: headers, encryption, error bodies.

Why a module of its own: the client (`core.abdm.client`) and the loopback fake
(`testing.fakes.abdm`) both speak this wire, but the fake must not borrow the client's code
for the parts it checks (a client bug would be mirrored, not caught), so the fake re-implements
the checks and shares only the published constants below.

Sources: ABDM's ABHA v3 enrolment API (kiranma72/abdm-docs, static/Yaml/abha_enrollment_api.yml)
and NHA's M1 skill (nha-in/docs, plugins/abdm-integrators-assistant/skills/abdm-m1/): every call
carries `REQUEST-ID` (a fresh UUID) and `TIMESTAMP` (ISO-8601 UTC with milliseconds and `Z`);
Aadhaar numbers, mobiles and OTPs travel RSA-encrypted under the key of
`GET /v3/profile/public/certificate` with the padding that answer names
(`RSA/ECB/OAEPWithSHA-1AndMGF1Padding` today), base64; errors come in four shapes.
"""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

#: The one transformation ABDM's v3 certificate names today (a Java cipher string).
OAEP_SHA1 = "RSA/ECB/OAEPWithSHA-1AndMGF1Padding"

SESSIONS_PATH = "/api/hiecm/gateway/v3/sessions"
CERTIFICATE_PATH = "/v3/profile/public/certificate"
ENROL_OTP_PATH = "/v3/enrollment/request/otp"
ENROL_BY_AADHAAR_PATH = "/v3/enrollment/enrol/byAadhaar"
ENROL_AUTH_BY_ABDM_PATH = "/v3/enrollment/auth/byAbdm"
SUGGESTION_PATH = "/v3/enrollment/enrol/suggestion"
ABHA_ADDRESS_PATH = "/v3/enrollment/enrol/abha-address"
LOGIN_OTP_PATH = "/v3/profile/login/request/otp"
LOGIN_VERIFY_PATH = "/v3/profile/login/verify"
LOGIN_USER_PATH = "/v3/profile/login/verify/user"
PROFILE_PATH = "/v3/profile/account"
CARD_PATH = "/v3/profile/account/abha-card"
QR_PATH = "/v3/profile/account/qrCode"
#: The consent ABDM publishes for enrolment by Aadhaar, sent with `enrol/byAadhaar`.
CONSENT = {"code": "abha-enrollment", "version": "1.4"}


def timestamp(now: datetime) -> str:
    """`2026-08-25T15:51:15.339Z`: UTC, milliseconds, `Z` (local time is refused)."""
    return now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"


def headers(now: datetime, token: str | None = None, cm_id: str | None = None) -> dict[str, str]:
    """The headers every ABDM call carries; a fresh REQUEST-ID each time."""
    out = {"REQUEST-ID": str(uuid.uuid4()), "TIMESTAMP": timestamp(now)}
    if token is not None:
        out["Authorization"] = f"Bearer {token}"
    if cm_id is not None:
        out["X-CM-ID"] = cm_id
    return out


class UnknownAlgorithm(ValueError):
    """The certificate names a padding this client does not know: refuse rather than guess."""


@dataclass(frozen=True, slots=True)
class PublicKey:
    key: rsa.RSAPublicKey
    algorithm: str

    @classmethod
    def from_certificate(cls, body: dict[str, Any]) -> PublicKey:
        """The certificate endpoint's answer: bare base64 DER (no PEM armour) and its padding."""
        algorithm = body.get("encryptionAlgorithm", OAEP_SHA1)
        if algorithm != OAEP_SHA1:
            raise UnknownAlgorithm(str(algorithm))
        der = base64.b64decode(str(body["publicKey"]), validate=True)
        key = serialization.load_der_public_key(der)
        if not isinstance(key, rsa.RSAPublicKey):
            raise UnknownAlgorithm(type(key).__name__)
        return cls(key, algorithm)

    def encrypt(self, value: str) -> str:
        """RSA-OAEP, SHA-1 for both the digest and MGF1, base64: what ABDM's v3 decrypts."""
        oaep = padding.OAEP(mgf=padding.MGF1(hashes.SHA1()), algorithm=hashes.SHA1(), label=None)  # noqa: S303
        return base64.b64encode(self.key.encrypt(value.encode(), oaep)).decode()


@dataclass(frozen=True, slots=True)
class AbdmFault:
    """What an ABDM error body says, read the way NHA's M1 notes say to read it."""

    status: int
    code: str  # ABDM-1100, HIS-2018, 900901, or "" for field validation (shape 3)
    message: str
    fields: tuple[str, ...] = ()


def read_fault(status: int, body: object) -> AbdmFault:
    """Any of ABDM's four error shapes (or none: a 401 may carry zero bytes).

    `details[0].code` wins over the outer code for `HIS-` bodies; a code is trimmed to its
    prefix (`"ABDM-9999: "` was observed); field-validation bodies name fields, not codes.
    """
    if not isinstance(body, dict):
        return AbdmFault(status, "", "")
    source: dict[str, Any] = body
    if isinstance(body.get("error"), dict):
        source = body["error"]
    code = str(source.get("code") or "")
    message = str(source.get("message") or "")
    details = source.get("details")
    if isinstance(details, list) and details and isinstance(details[0], dict):
        code = str(details[0].get("code") or code)
        message = str(details[0].get("message") or message)
    code = code.strip().split(":")[0].strip()
    fields: tuple[str, ...] = ()
    if not code:
        fields = tuple(sorted(key for key in body if key not in ("timestamp", "error")))
    return AbdmFault(status, code, message, fields)
