"""The Aadhaar OTP/eKYC port, and a sandbox that behaves like UIDAI.

Why a port: this machine cannot reach UIDAI (only an ABDM-registered AUA/KUA can). The service
codes against `AadhaarGateway`; production plugs in an HTTP client, development and tests the
`SandboxAadhaarGateway` below, which keeps UIDAI's rules and errors:

- any Aadhaar passing UIDAI's checks works, including UIDAI's published test UIDs
  999999990019, 999999990026, 999999990042 and 999999990057;
- the demographics are synthetic but deterministic: the same number always gives the same
  person (name, birth date, gender, an address in a real district with real LGD codes);
- the OTP is a real 6-digit code sent by SMS through `OtpService` to the mobile the person
  gave (standing in for the mobile linked to the Aadhaar);
- errors: `aadhaar.otp_invalid` (attempts_left), `aadhaar.txn_expired`,
  `aadhaar.too_many_attempts` (until), and `aadhaar.mobile_not_linked` for exactly one number,
  **999999990088** (a valid Verhoeff number beside UIDAI's test UIDs), so a flow can show what
  happens to a person whose Aadhaar has no mobile.

The Aadhaar number never leaves `request_otp`: the demographics are derived there and attached
to the OTP transaction; the number itself is not stored, sent or logged.
"""

from __future__ import annotations

import asyncio
import hashlib
import random
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any, Protocol

from core.errors import ArogyaError, Conflict, InvalidInput, Locked
from core.healthid import aadhaar as aadhaar_numbers
from core.healthid import mobile as mobile_numbers
from core.healthid import sandbox_data
from core.otp.service import OtpService, OtpTicket

#: The one sandbox Aadhaar with no mobile linked (see the module docstring).
MOBILE_NOT_LINKED = "999999990088"
_PURPOSE = "aadhaar.ekyc"


@dataclass(frozen=True, slots=True)
class Ekyc:
    """What UIDAI's eKYC returns (the parts ABDM uses), the number itself excluded."""

    name: str
    birth_date: date
    gender: str  # M, F or O
    address: str
    state_lgd: int
    district_lgd: int
    pin_code: str
    masked_mobile: str

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "birth_date": self.birth_date.isoformat()}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Ekyc:
        return cls(**{**data, "birth_date": date.fromisoformat(data["birth_date"])})


class AadhaarGateway(Protocol):
    async def request_otp(self, aadhaar: str, mobile: str, *, lang: str) -> OtpTicket:
        """Send an OTP for a parsed Aadhaar; `mobile` is E.164.

        Errors: `aadhaar.invalid`, `aadhaar.mobile_not_linked`, `aadhaar.too_many_attempts`.
        """
        ...

    async def resend_otp(self, txn_id: str, *, lang: str) -> OtpTicket:
        """A fresh OTP for the same transaction (OtpService's resend rules and errors)."""
        ...

    async def verify_otp(self, txn_id: str, otp: str) -> Ekyc:
        """Errors: `aadhaar.otp_invalid`, `aadhaar.txn_expired`, `aadhaar.too_many_attempts`."""
        ...


def synthetic_ekyc(number: str, mobile: str) -> Ekyc:
    """A deterministic made-up resident for `number` (never a real person's data)."""
    seed = hashlib.sha256(f"arogya.sandbox.ekyc|{number}".encode()).digest()
    pick = random.Random(seed)  # synthetic data from a seed, not a secret
    gender = pick.choices(("M", "F", "O"), weights=(49, 49, 2))[0]
    first = pick.choice(
        {"M": sandbox_data.MALE_NAMES, "F": sandbox_data.FEMALE_NAMES}.get(
            gender, sandbox_data.OTHER_NAMES
        )
    )
    parts = [first]
    if pick.random() < 0.4:
        parts.append(pick.choice(sandbox_data.MIDDLE_NAMES))
    parts.append(pick.choice(sandbox_data.SURNAMES))
    place = pick.choice(sandbox_data.PLACES)
    born = date(pick.randint(1950, 2005), pick.randint(1, 12), pick.randint(1, 28))
    house = pick.randint(1, 400)
    locality = pick.choice(sandbox_data.LOCALITIES)
    return Ekyc(
        name=" ".join(parts),
        birth_date=born,
        gender=gender,
        address=f"House {house}, {locality}, {place.district}, {place.state}",
        state_lgd=place.state_lgd,
        district_lgd=place.district_lgd,
        pin_code=place.pin_code,
        masked_mobile=mobile_numbers.mask(mobile),
    )


def _as_uidai_error(error: ArogyaError) -> ArogyaError:
    """OtpService's refusals, spoken the way UIDAI's API speaks them."""
    if error.code == "otp.invalid":
        return InvalidInput("aadhaar.otp_invalid", **error.params)
    if error.code == "otp.locked":
        return Locked("aadhaar.too_many_attempts", **error.params)
    if error.code in {"otp.expired", "otp.unknown", "otp.used"}:
        return Conflict("aadhaar.txn_expired")
    return error


class SandboxAadhaarGateway:
    """UIDAI's OTP and eKYC, simulated (see the module docstring for its rules)."""

    def __init__(self, otp: OtpService, *, latency_seconds: float = 0.0) -> None:
        self._otp = otp
        self._latency = latency_seconds

    async def request_otp(self, aadhaar: str, mobile: str, *, lang: str) -> OtpTicket:
        await self._wait()
        number = aadhaar_numbers.parse(aadhaar)
        if number == MOBILE_NOT_LINKED:
            raise Conflict("aadhaar.mobile_not_linked")
        payload = {"kind": _PURPOSE, "ekyc": synthetic_ekyc(number, mobile).to_json()}
        try:
            return await self._otp.start(mobile, _PURPOSE, lang, payload=payload)
        except ArogyaError as error:
            raise _as_uidai_error(error) from None

    async def resend_otp(self, txn_id: str, *, lang: str) -> OtpTicket:
        await self._wait()
        await self._payload(txn_id)
        try:
            return await self._otp.resend(txn_id, lang)
        except ArogyaError as error:
            if error.code in {"otp.resend_too_soon", "otp.resend_limit", "otp.rate_limited"}:
                raise
            raise _as_uidai_error(error) from None

    async def verify_otp(self, txn_id: str, otp: str) -> Ekyc:
        await self._wait()
        payload = await self._payload(txn_id)
        try:
            await self._otp.verify(txn_id, otp)
        except ArogyaError as error:
            raise _as_uidai_error(error) from None
        return Ekyc.from_json(payload["ekyc"])

    async def _payload(self, txn_id: str) -> dict[str, Any]:
        """The eKYC attached at request time; a transaction that is not ours is unknown."""
        try:
            payload = await self._otp.payload(txn_id)
        except ArogyaError as error:
            raise _as_uidai_error(error) from None
        if payload.get("kind") != _PURPOSE:
            raise Conflict("aadhaar.txn_expired")
        return payload

    async def _wait(self) -> None:
        if self._latency:
            await asyncio.sleep(self._latency)
