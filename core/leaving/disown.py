""" "This wasn't me": deleting an ABHA that someone made on my mobile without my knowing.

Why an OTP and no PIN: whoever made the ABHA set its PIN, and the real owner of the mobile does
not know it. What this path proves is the MOBILE (an OTP to the ABHA's own number, atomic in
`OtpService.verify`), which is the only thing the owner holds. Why a window: a day-old ABHA the
owner never asked for is the case this is for; after `disown_window_days` (default 30) the
holder has had the welcome SMS for a month, and an old ABHA on a recycled or shared SIM must not
be erasable by whoever holds the SIM now, so the ordinary PIN+OTP delete applies.
The deletion itself is `LeaveService.erase` (reason `not_me`), audited first as `abha.disowned`.

    numbers = await leaving.disown.candidates("+919876543210")
    ticket = await leaving.disown.start(numbers[0], "+919876543210", lang="hi", channel="sms")
    await leaving.disown.confirm(ticket.txn_id, otp, channel="sms")

Several young ABHAs on one mobile (a family's), or a Telegram chat (which proves a mobile only
by an OTP, so the owner cannot be asked before it which ABHA): the OTP proves the mobile first,
then the owner picks which of its young ABHAs to delete. `prove` uses the OTP and returns a
`Proof` (the mobile and its young ABHAs then); the conversation keeps it as it keeps a login,
for one choice, and `erase_proved` re-checks that the chosen ABHA is still young and on it.

    ticket = await leaving.disown.start_for_mobile("+919876543210", lang="hi", channel="telegram")
    proof = await leaving.disown.prove(ticket.txn_id, otp)
    await leaving.disown.erase_proved(proof.numbers[1], proof.mobile, lang="hi", channel="telegram")
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from core.audit.service import AuditLog
from core.clock import Clock
from core.errors import Conflict, NotFound
from core.healthid import numbers
from core.healthid.base import IST
from core.healthid.models import Person, PersonStatus
from core.otp.service import OtpService, OtpTicket
from core.sms.outbox import SmsService

if TYPE_CHECKING:
    from core.leaving.service import LeaveService

DISOWN_PURPOSE = "abha.disown"
WINDOW_DAYS = 30
LIVE = (PersonStatus.ACTIVE, PersonStatus.DEACTIVATED)


@dataclass(frozen=True, slots=True)
class Young:
    """One ABHA the owner may disown, as a list shows it: its number and when it was made."""

    abha_number: str
    created_on: str  # DD-MM-YYYY, India's day


@dataclass(frozen=True, slots=True)
class Proof:
    """An OTP to `mobile` was used just now; these were its young ABHAs then."""

    mobile: str
    lang: str
    found: tuple[Young, ...]

    @property
    def numbers(self) -> tuple[str, ...]:
        return tuple(young.abha_number for young in self.found)


class Disowning:
    def __init__(
        self,
        leaving: LeaveService,
        clock: Clock,
        otp: OtpService,
        sms: SmsService,
        audit: AuditLog,
        *,
        window_days: int = WINDOW_DAYS,
        national: bool = False,
    ) -> None:
        self._leaving = leaving
        self._clock = clock
        self._otp = otp
        self._sms = sms
        self._audit = audit
        self._window = timedelta(days=window_days)
        self._national = national

    async def candidates(self, mobile: str) -> list[str]:
        """The ABHA numbers on `mobile` still young enough to disown, newest first."""
        since = self._clock.now() - self._window
        found = await Person.filter(mobile=mobile, status__in=LIVE, created_at__gte=since).order_by(
            "-created_at", "-id"
        )
        return [person.abha_number for person in found]

    async def young(self, mobile: str) -> tuple[Young, ...]:
        """`candidates` with the day each was made, newest first."""
        since = self._clock.now() - self._window
        found = await Person.filter(mobile=mobile, status__in=LIVE, created_at__gte=since).order_by(
            "-created_at", "-id"
        )
        return tuple(
            Young(person.abha_number, person.created_at.astimezone(IST).strftime("%d-%m-%Y"))
            for person in found
        )

    async def _young_on(self, abha_number: str, mobile: str) -> Person:
        person = await Person.get_or_none(abha_number=numbers.parse(abha_number))
        # Another mobile's ABHA reads as no ABHA at all: nothing about it is told.
        if person is None or person.mobile != mobile:
            raise NotFound("abha.not_found")
        if person.status is PersonStatus.DELETED:
            raise Conflict("abha.deleted")
        if person.created_at < self._clock.now() - self._window:
            raise Conflict("disown.too_late")
        return person

    async def start(self, abha_number: str, mobile: str, *, lang: str, channel: str) -> OtpTicket:
        """Send an OTP to the ABHA's mobile, which must be `mobile` (the sender's own).

        Errors: `abha.not_found` (none such on this mobile), `abha.deleted`, `disown.too_late`,
        `otp.locked`, `otp.rate_limited`, `abdm.leave_not_wired`."""
        if self._national:
            raise Conflict("abdm.leave_not_wired")
        person = await self._young_on(abha_number, mobile)
        payload = {"kind": DISOWN_PURPOSE, "abha": person.abha_number, "lang": lang}
        return await self._otp.start(mobile, DISOWN_PURPOSE, lang, payload=payload)

    async def start_for_mobile(self, mobile: str, *, lang: str, channel: str) -> OtpTicket:
        """Send an OTP to `mobile` to prove it, before the owner picks among its young ABHAs.

        Errors: `disown.none` (no young ABHA on it), `otp.locked`, `otp.rate_limited`,
        `abdm.leave_not_wired`."""
        if self._national:
            raise Conflict("abdm.leave_not_wired")
        if not await self.candidates(mobile):
            raise NotFound("disown.none", days=self._window.days)
        payload = {"kind": DISOWN_PURPOSE, "mobile": mobile, "lang": lang}
        return await self._otp.start(mobile, DISOWN_PURPOSE, lang, payload=payload)

    async def prove(self, txn_id: str, otp: str) -> Proof:
        """Use an OTP from `start_for_mobile`: the mobile and its young ABHAs now.
        Errors: `otp.*` (attempts counted, atomic in `OtpService.verify`)."""
        payload = await self._otp.payload(txn_id)
        if payload.get("kind") != DISOWN_PURPOSE or "mobile" not in payload:
            raise NotFound("otp.unknown")
        ticket = await self._otp.verify(txn_id, otp)
        lang = str(payload.get("lang") or "en")
        return Proof(ticket.mobile, lang, await self.young(ticket.mobile))

    async def resend(self, txn_id: str, *, lang: str) -> OtpTicket:
        return await self._otp.resend(txn_id, lang)

    async def confirm(self, txn_id: str, otp: str, *, channel: str) -> str:
        """Use the OTP, then delete the ABHA as `not_me`; the mobile is told by SMS in the
        language it asked in. Returns the ABHA number. Errors: `otp.*`, `abha.not_found`,
        `abha.deleted`, `disown.too_late` (the window closed while the OTP was out)."""
        payload = await self._otp.payload(txn_id)
        if payload.get("kind") != DISOWN_PURPOSE or "abha" not in payload:
            raise NotFound("otp.unknown")
        ticket = await self._otp.verify(txn_id, otp)
        lang = str(payload.get("lang") or "")
        return await self.erase_proved(
            str(payload["abha"]), ticket.mobile, lang=lang, channel=channel
        )

    async def erase_proved(self, abha_number: str, mobile: str, *, lang: str, channel: str) -> str:
        """Delete a young ABHA on `mobile`, which an OTP has just proved (`confirm`, `prove`);
        the mobile is told by SMS. Returns the ABHA number. Errors: `abha.not_found` (not on
        this mobile), `abha.deleted` (a repeat: one effect), `disown.too_late`."""
        person = await self._young_on(abha_number, mobile)
        number = person.abha_number
        await self._audit.record(
            "abha.disowned",
            actor="mobile-owner",
            subject=number,
            channel=channel,
            detail={"created_at": person.created_at.isoformat()},
        )
        await self._leaving.erase(number, reason="not_me", channel=channel)
        await self._sms.send(
            mobile, "sms.leave.delete", {"abha_number": number}, lang or person.language
        )
        return number
