"""The Health ID transcripts against both registries: what may differ, and what may not.

Why: issue 13 asks that the flows not change shape between `AROGYA_REGISTRY=embedded` and
`=abdm`. The golden transcripts in tests/golden/healthid/ are recorded against the embedded
registry; here the same scripts are replayed against the loopback ABDM (testing.fakes.abdm) and
compared with the same goldens after `Issued` has rewritten, on both sides alike, only what an
outside registry legitimately issues differently:

- ABHA numbers and ABHA addresses: ABDM issues them (and suggests the addresses by its own
  rules), so each becomes `<abha-number-N>` / `<abha-address-N>` in order of first appearance.
  The renaming is consistent over the whole transcript, so a page that shows the address chosen
  three hops earlier must still show *that* one, and one that shows a second ABHA must show a
  second one;
- the text of the SMS carrying an OTP: in abdm mode UIDAI or ABDM sends it, not Arogya, so
  every OTP SMS is `SMS: <otp>` (that one arrives at the same hop is still compared);
- the pixel size of the card photo on Telegram: in abdm mode it is ABDM's own card image
  (`profile/account/abha-card`), so only its caption is compared.

Everything else (every page, button, pop-up, Arogya's own SMS such as the welcome, the names,
birth dates and genders UIDAI's eKYC gives) must match byte for byte.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from core.healthid.aadhaar_gateway import synthetic_ekyc
from testing.fakes.abdm_people import People, Resident
from testing.golden import Phone

#: UIDAI's published test UIDs, the ones the scripts type (core/healthid/aadhaar_gateway.py).
TEST_UIDS = ("999999990019", "999999990026", "999999990042", "999999990057")

ABHA_NUMBER = re.compile(r"\b\d{2}-\d{4}-\d{4}-\d{4}\b")
ABHA_ADDRESS = re.compile(r"\b[a-z0-9][a-z0-9._]*@sbx\b")
OTP_SMS = re.compile(r"^SMS: (?=.*\bOTP\b)(?=.*\b\d{6}\b).*$", re.DOTALL)
# The card is an image the registry issues (in abdm mode ABDM's own abha-card), so its pixel
# size is the registry's; its caption, which Arogya writes, is still compared.
CARD_PHOTO = re.compile(r"^photo \d+x\d+: ")

#: Scripts with no counterpart in ABDM's ABHA v3, and why (docs/abdm.md, "What runs against
#: both registries"). Every other healthid script runs against both.
MOBILE_ONLY = (
    "creates an ABHA with a mobile number only: ABHA v3 has no self-declared enrolment "
    "(ABDM issues an ABHA address by mobile only through its PHR APIs, not wired), so abdm "
    "mode refuses it (tests/webhooks/abdm/test_journey.py)"
)
LINK_AADHAAR = (
    "; and links an Aadhaar to an ABHA address afterwards, which abdm mode does not offer "
    "(every ABHA mirrored from ABDM already has its number)"
)
EMBEDDED_ONLY: dict[str, str] = {
    "ussd_mobile_en": MOBILE_ONLY,
    "ussd_mobile_near_en": MOBILE_ONLY,
    "ussd_mobile_short_en": MOBILE_ONLY,
    "ussd_mobile_short_hi": MOBILE_ONLY,
    "ussd_mobile_held_hi": MOBILE_ONLY + LINK_AADHAAR,
    "sms_mobile_en": MOBILE_ONLY + LINK_AADHAAR,
    "telegram_mobile_en": MOBILE_ONLY,
    "telegram_mobile_hi": MOBILE_ONLY + LINK_AADHAAR,
    "ussd_otp_en": MOBILE_ONLY + " (its OTP rules are the mobile-only OTP's)",
    "ussd_resume_en": MOBILE_ONLY + " (the call drops on its OTP step)",
}


def on_both(paths: list[Path]) -> list[object]:
    """`paths` as parameters for the abdm run: the embedded-only ones skipped, with why."""
    return [
        pytest.param(path, id=path.stem, marks=_skip(path.stem)) if path.stem in EMBEDDED_ONLY
        else pytest.param(path, id=path.stem)
        for path in paths
    ]  # fmt: skip


def _skip(stem: str) -> pytest.MarkDecorator:
    return pytest.mark.skip(reason=f"embedded only: {stem} {EMBEDDED_ONLY[stem]}")


def residents(mobile: str) -> dict[str, Resident]:
    """UIDAI's test UIDs as the loopback ABDM's UIDAI knows them: the same eKYC the embedded
    sandbox gives (one UIDAI sandbox for both), linked to the mobile the script's phone uses."""
    digits = mobile.removeprefix("+91")
    known = {}
    for uid in TEST_UIDS:
        ekyc = synthetic_ekyc(uid, mobile)
        first, *middle, last = ekyc.name.split(" ")
        known[uid] = Resident(
            first_name=first,
            last_name=last,
            middle_name=" ".join(middle),
            birth=ekyc.birth_date,
            gender=ekyc.gender,
            mobile=digits,
            address=ekyc.address,
            state_code=str(ekyc.state_lgd),
            district_code=str(ekyc.district_lgd),
            pin_code=ekyc.pin_code,
        )
    return known


class Issued:
    """Rewrites a transcript's issued identifiers as numbered placeholders (see the module
    docstring). Stateful: one instance reads one side of a comparison, hop after hop."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}

    def __call__(self, lines: list[str]) -> list[str]:
        return [self._line(line) for line in lines]

    def _line(self, line: str) -> str:
        if OTP_SMS.match(line):
            return "SMS: <otp>"
        line = CARD_PHOTO.sub("photo <card>: ", line)
        line = ABHA_NUMBER.sub(lambda found: self._name("abha-number", found.group()), line)
        return ABHA_ADDRESS.sub(lambda found: self._name("abha-address", found.group()), line)

    def _name(self, kind: str, value: str) -> str:
        if value not in self.names:
            count = sum(1 for name in self.names.values() if name.startswith(f"<{kind}-"))
            self.names[value] = f"<{kind}-{count + 1}>"
        return self.names[value]


class Sides:
    """The two `Issued` a replay makes (`new` is its normaliser factory): the first reads what
    the phone showed, so a test can ask which ABHA numbers the person was shown."""

    def __init__(self) -> None:
        self.made: list[Issued] = []

    def new(self) -> Issued:
        self.made.append(Issued())
        return self.made[-1]

    def numbers_seen(self) -> set[str]:
        shown = self.made[0].names
        return {value for value, name in shown.items() if name.startswith("<abha-number-")}


@dataclass
class AbdmOtpPhone:
    """A phone whose OTPs come from the loopback ABDM (UIDAI's or ABDM's SMS) as well as from
    Arogya: `{otp}` is the code that came last, and each OTP the fake sends to this mobile shows
    as an `SMS:` line where the channel's own phone shows Arogya's (first on SMS, where the
    code arrives before the reply; last on USSD and Telegram)."""

    phone: Phone
    people: People
    mobile: str
    sms_first: bool

    def __post_init__(self) -> None:
        self.seen = len(self.people.sent)

    async def dial(self) -> list[str]:
        return self._with_otps(await self.phone.dial())

    async def send(self, text: str) -> list[str]:
        if "{otp}" in text and self._has_otp():
            text = text.replace("{otp}", self.people.last_otp(self.mobile))
        return self._with_otps(await self.phone.send(text))

    def advance(self, seconds: float) -> None:
        self.phone.advance(seconds)

    def _has_otp(self) -> bool:
        digits = self.mobile.removeprefix("+91")
        return any(sent.mobile == digits for sent in self.people.sent)

    def _with_otps(self, lines: list[str]) -> list[str]:
        digits = self.mobile.removeprefix("+91")
        fresh = self.people.sent[self.seen :]
        self.seen = len(self.people.sent)
        otps = [
            f"SMS: {sent.otp} is your OTP (sent by ABDM)" for sent in fresh if sent.mobile == digits
        ]
        return [*otps, *lines] if self.sms_first else [*lines, *otps]
