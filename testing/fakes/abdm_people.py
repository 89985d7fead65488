"""The loopback ABDM's people: UIDAI's residents, the ABHAs it issued, its transactions.

Why apart from the server: the rules (one ABHA per Aadhaar, 6 per mobile, OTPs that expire and
lock, addresses unique) are what a test asserts against, so they read as plain data here, and
the HTTP side (`testing.fakes.abdm`) only checks the wire and calls these.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from stdnum import luhn

OTP_LIFE = timedelta(minutes=10)
MAX_OTP_ATTEMPTS = 5
MAX_ABHAS_PER_MOBILE = 6


@dataclass
class Resident:
    """What UIDAI holds for an Aadhaar: the eKYC ABDM receives, and the linked mobile."""

    first_name: str
    last_name: str
    birth: date
    gender: str
    mobile: str  # 10 digits, the Aadhaar-linked mobile
    address: str = "House 12, Gandhi Nagar, Dehri, Rohtas, Bihar"
    state_code: str = "10"
    district_code: str = "233"
    pin_code: str = "821307"
    #: ABHAProfile's `middleName` (UIDAI's eKYC gives the whole name; ABDM splits it in three).
    middle_name: str = ""

    @property
    def full_name(self) -> str:
        return " ".join(
            part for part in (self.first_name, self.middle_name, self.last_name) if part
        )


@dataclass
class Abha:
    number: str  # formatted 91-XXXX-XXXX-XXXX, as ABDM prints it
    aadhaar: str
    mobile: str | None  # the communication mobile, once verified
    addresses: list[str] = field(default_factory=list)
    status: str = "ACTIVE"


@dataclass
class Txn:
    id: str
    kind: str  # "aadhaar" (enrolment), "mobile" (communication mobile), "login"
    otp: str
    expires_at: datetime
    aadhaar: str | None = None
    mobile: str | None = None
    attempts: int = 0
    used: bool = False
    abha: str | None = None  # the ABHA number this transaction made or found
    #: A communication-mobile OTP sent within this enrolment (ABDM keeps the one txnId).
    mobile_otp: str | None = None
    mobile_to: str | None = None
    mobile_attempts: int = 0


@dataclass(frozen=True, slots=True)
class SentOtp:
    """An OTP the fake "sent" (UIDAI to the Aadhaar-linked mobile, or ABDM to a mobile)."""

    mobile: str
    otp: str
    txn_id: str


class People:
    def __init__(self, rng: random.Random, suffix: str = "sbx") -> None:
        self.rng = rng
        self.suffix = suffix
        self.residents: dict[str, Resident] = {}
        self.abhas: dict[str, Abha] = {}  # by number
        self.txns: dict[str, Txn] = {}
        self.sent: list[SentOtp] = []
        #: Called with each OTP as it is "sent" (the standalone server prints it).
        self.on_send: Callable[[SentOtp], None] | None = None

    # --- what a test reads -----------------------------------------------------------------

    def last_otp(self, mobile: str) -> str:
        """The last OTP sent to `mobile` (10 digits or +91...), as the phone would show it."""
        digits = mobile.removeprefix("+91")
        for sent in reversed(self.sent):
            if sent.mobile == digits:
                return sent.otp
        raise AssertionError(f"no OTP was sent to {mobile}")

    def abha_of(self, aadhaar: str) -> Abha | None:
        return next((abha for abha in self.abhas.values() if abha.aadhaar == aadhaar), None)

    # --- rules -----------------------------------------------------------------------------

    def send(self, otp: SentOtp) -> None:
        self.sent.append(otp)
        if self.on_send is not None:
            self.on_send(otp)

    def open_txn(
        self,
        kind: str,
        now: datetime,
        *,
        to: str,
        aadhaar: str | None = None,
        abha: str | None = None,
    ) -> Txn:
        txn = Txn(
            str(uuid.UUID(int=self.rng.getrandbits(128))),
            kind,
            f"{self.rng.randrange(10**6):06d}",
            now + OTP_LIFE,
            aadhaar=aadhaar,
            mobile=to,
            abha=abha,
        )
        self.txns[txn.id] = txn
        self.send(SentOtp(to, txn.otp, txn.id))
        return txn

    def new_number(self) -> str:
        while True:
            body = "91" + "".join(str(self.rng.randrange(10)) for _ in range(11))
            digits = body + luhn.calc_check_digit(body)
            number = f"{digits[:2]}-{digits[2:6]}-{digits[6:10]}-{digits[10:]}"
            if number not in self.abhas:
                return number

    def held_by(self, mobile: str) -> list[Abha]:
        return [abha for abha in self.abhas.values() if abha.mobile == mobile]

    def address_taken(self, address: str) -> bool:
        return any(address in abha.addresses for abha in self.abhas.values())

    def suggestions(self, resident: Resident) -> list[str]:
        first = "".join(ch for ch in resident.first_name.lower() if ch.isalnum())[:10]
        last = "".join(ch for ch in resident.last_name.lower() if ch.isalnum())[:6]
        year = resident.birth.year
        handles = [
            f"{first}{last}{year}",
            f"{first}.{last}{year % 100:02d}",
            f"{first}_{year}",
            f"{first}{last}{resident.birth.day:02d}",
        ]
        free = []
        for handle in handles:
            handle = handle if len(handle) >= 8 else (handle + "0000")[:8]
            if not self.address_taken(f"{handle}@{self.suffix}"):
                free.append(handle)
        return free

    def profile(self, abha: Abha) -> dict[str, object]:
        """ABDM's `ABHAProfile` for an ABHA (the photo left out: no one here has a face)."""
        who = self.residents[abha.aadhaar]
        return {
            "firstName": who.first_name,
            "middleName": who.middle_name,
            "lastName": who.last_name,
            "dob": who.birth.strftime("%d-%m-%Y"),
            "gender": who.gender,
            "photo": None,
            "mobile": abha.mobile,
            "email": None,
            "phrAddress": list(abha.addresses) or None,
            "address": who.address,
            "districtCode": who.district_code,
            "stateCode": who.state_code,
            "pinCode": who.pin_code,
            "abhaType": "STANDARD",
            "ABHANumber": abha.number,
            "abhaStatus": abha.status,
        }
