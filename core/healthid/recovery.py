"""Recovering an ABHA: a forgotten PIN (OTP, then a new PIN) and a mobile change.

    ticket = await healthid.start_pin_reset(abha, lang="hi", channel="ussd")   # OTP to its mobile
    grant = await healthid.verify_pin_reset(ticket.txn_id, "123456", channel="ussd")
    await healthid.reset_pin(grant, "4826", channel="ussd")                    # lockout lifted

    change = await healthid.open_mobile_change(abha, "91234 56789", "4826", channel=...)  # PIN
    old = await healthid.prove_old_mobile(change, lang=...)   # or prove_by_aadhaar(change, ...)
    new = await healthid.confirm_mobile_holder(old.txn_id, "123456", lang=...)  # OTP to the new one
    changed = await healthid.finish_mobile_change(new.txn_id, "654321", channel=...)

Why these rules:

- The PIN is Arogya's own (ABDM has no PIN on an ABHA number), so a forgotten one is reset here
  in both identity adapters, by the same proof as a login: an OTP to the ABHA's mobile. A
  locked PIN stays locked until that reset succeeds; the OTP has its own attempt limit
  (`OtpService`). What the OTP proved is a `Recovery` row used once, within ten minutes, so the
  new PIN (typed twice, in later turns) cannot be set by a replayed or stale conversation.
- A mobile change moves the ABHA's notices, logins and OTPs to another phone, so it needs the
  PIN *and* proof of both phones: an OTP to the current mobile, or, when that SIM is lost, an
  Aadhaar OTP (only for a KYC-verified ABHA: a self-declared one has no Aadhaar to prove it by),
  and then an OTP to the new mobile. The new mobile's cap (at most 6 ABHAs) is checked at the
  start and again at the end; Telegram chats that proved the old mobile stop acting for the
  ABHA (they read the ABHAs their mobile holds *now*, see core.channels).
- Each reset and change is audited, with masked numbers only.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from core.channels.models import Endpoint
from core.errors import Conflict, Forbidden, InvalidInput, NotFound
from core.healthid import aadhaar as aadhaar_numbers
from core.healthid import mobile as mobile_numbers
from core.healthid import pins
from core.healthid.accounts import AccountSteps
from core.healthid.models import Kyc, Person
from core.healthid.views import PersonView, person_view
from core.otp.service import OtpTicket
from core.recovery.models import Recovery, RecoveryKind

PIN_RESET = "abha.pin_reset"
MOBILE_HOLDER = "abha.mobile_holder"
MOBILE_NEW = "abha.mobile_new"
#: How long what an OTP proved may be used (the life of an OTP).
RECOVERY_LIFE = timedelta(minutes=10)
_ID_MAX = 36


@dataclass(frozen=True, slots=True)
class MobileChanged:
    """A finished change: the ABHA as it is now, and the number that was told by SMS."""

    person: PersonView
    #: E.164 of the old mobile (to tell it by SMS), never shown.
    old_mobile: str | None
    #: E.164 of the new mobile.
    new_mobile: str


class RecoverySteps(AccountSteps):
    # --- forgot PIN --------------------------------------------------------------------------

    async def start_pin_reset(self, abha_number: str, *, lang: str, channel: str) -> OtpTicket:
        """An OTP to the ABHA's own mobile. Errors: the OTP service's (`otp.locked`, ...)."""
        self._check_channel(channel)
        person = await self._active_person(abha_number)
        if person.mobile is None:
            raise NotFound("abha.not_found")
        payload = {"kind": PIN_RESET, "abha": person.abha_number}
        return await self._otp.start(person.mobile, PIN_RESET, lang, payload=payload)

    async def verify_pin_reset(self, txn_id: str, otp: str, *, channel: str) -> str:
        """The OTP checked (its attempt limit applies): the id of a one-time, ten-minute grant
        to set a new PIN. Errors: the OTP service's, `recovery.mobile_moved`."""
        self._check_channel(channel)
        payload = await self._otp.payload(txn_id)
        if payload.get("kind") != PIN_RESET:
            raise NotFound("otp.unknown")
        ticket = await self._otp.verify(txn_id, otp)
        person = await self._active_person(str(payload["abha"]))
        if person.mobile != ticket.mobile:  # the mobile changed since the OTP was sent
            raise Forbidden("recovery.mobile_moved")
        grant = await self._open(RecoveryKind.PIN_RESET, person, via="otp", holder_txn=txn_id)
        await self._record("abha.pin_reset_proved", person, channel)
        return grant.id

    async def reset_pin(self, grant_id: str, pin: str, *, channel: str) -> None:
        """Set the new PIN and lift any lockout. Errors: `pin.format`, `pin.weak` (the grant is
        kept), `recovery.expired`, `recovery.used`."""
        self._check_channel(channel)
        grant = await self._live(grant_id, RecoveryKind.PIN_RESET)
        person = await self._active_person(grant.abha_number)
        checked = pins.check_strength(pin, person.year_of_birth)
        await self._claim(grant)
        await self._store_pin(person, checked)
        await self._record("abha.pin_reset", person, channel, {"via": grant.via})

    # --- change mobile -----------------------------------------------------------------------

    async def open_mobile_change(
        self, abha_number: str, new_mobile: str, pin: str, *, channel: str
    ) -> str:
        """The PIN checked (counted towards its lockout): the id of a ten-minute change to
        `new_mobile`, to be proved next by the old mobile or by Aadhaar.

        Errors: `mobile.invalid`, `recovery.mobile_same`, `mobile.cap_reached`, the PIN's.
        """
        self._check_channel(channel)
        person = await self._active_person(abha_number)
        new = mobile_numbers.parse(new_mobile)
        if new == person.mobile:
            raise InvalidInput("recovery.mobile_same")
        await self._check_mobile_cap(new)
        await self.verify_pin(abha_number, pin)
        change = await self._open(RecoveryKind.MOBILE_CHANGE, person, via="otp", new_mobile=new)
        return change.id

    async def prove_old_mobile(self, change_id: str, *, lang: str) -> OtpTicket:
        """An OTP to the ABHA's current mobile (the old SIM is at hand)."""
        change = await self._live(change_id, RecoveryKind.MOBILE_CHANGE)
        person = await self._active_person(change.abha_number)
        if person.mobile is None:
            raise NotFound("abha.not_found")
        payload = {"kind": MOBILE_HOLDER, "change": change.id}
        ticket = await self._otp.start(person.mobile, MOBILE_HOLDER, lang, payload=payload)
        await Recovery.filter(id=change.id).update(via="otp", holder_txn=ticket.txn_id)
        return ticket

    async def prove_by_aadhaar(self, change_id: str, aadhaar: str, *, lang: str) -> OtpTicket:
        """The old SIM is lost: an Aadhaar OTP proves the holder instead of the old mobile.

        Only for a KYC-verified ABHA whose Aadhaar this is (`recovery.needs_kyc`,
        `recovery.aadhaar_mismatch`); the Aadhaar is compared as its keyed hash, never kept.
        """
        number = aadhaar_numbers.parse(aadhaar)
        change = await self._live(change_id, RecoveryKind.MOBILE_CHANGE)
        person = await self._active_person(change.abha_number)
        if person.kyc is not Kyc.VERIFIED or person.aadhaar_hmac is None:
            raise Forbidden("recovery.needs_kyc")
        if aadhaar_numbers.keyed_hash(number, self._aadhaar_key) != person.aadhaar_hmac:
            raise Forbidden("recovery.aadhaar_mismatch")
        # UIDAI sends the OTP to the Aadhaar-linked mobile (the sandbox: the phone in hand)
        ticket = await self._aadhaar.request_otp(number, str(change.new_mobile), lang=lang)
        await Recovery.filter(id=change.id).update(via="aadhaar", holder_txn=ticket.txn_id)
        return ticket

    async def confirm_mobile_holder(self, txn_id: str, otp: str, *, lang: str) -> OtpTicket:
        """The holder's OTP (old mobile or Aadhaar) checked: an OTP to the new mobile."""
        change = await self._change_by(holder_txn=txn_id)
        if change.via == "aadhaar":
            await self._aadhaar.verify_otp(txn_id, otp)
        else:
            await self._otp.verify(txn_id, otp)
        now = self._clock.now()
        new = str(change.new_mobile)
        payload = {"kind": MOBILE_NEW, "change": change.id}
        ticket = await self._otp.start(new, MOBILE_NEW, lang, payload=payload)
        await Recovery.filter(id=change.id).update(holder_proved_at=now, new_txn=ticket.txn_id)
        return ticket

    async def finish_mobile_change(self, txn_id: str, otp: str, *, channel: str) -> MobileChanged:
        """The new mobile's OTP checked: the ABHA moves to it (once), audited."""
        self._check_channel(channel)
        change = await self._change_by(new_txn=txn_id)
        if change.holder_proved_at is None:
            raise Forbidden("recovery.not_proved")
        await self._otp.verify(txn_id, otp)
        return await self._move(change, channel)

    async def _move(self, change: Recovery, channel: str) -> MobileChanged:
        """Both phones proved: the ABHA's mobile becomes the new one, exactly once."""
        person = await self._active_person(change.abha_number)
        new = str(change.new_mobile)
        await self._check_mobile_cap(new)  # again: another ABHA may have taken the last place
        await self._claim(change)
        old = person.mobile
        moved = await Person.filter(id=person.id, mobile=old).update(
            mobile=new, updated_at=self._clock.now()
        )
        if moved != 1:
            raise Conflict("recovery.used")
        if old is not None:  # chats that proved the old mobile no longer act for this ABHA
            await Endpoint.filter(mobile=old, abha_number=person.abha_number).update(
                abha_number=None
            )
        person = await Person.get(id=person.id)
        detail: dict[str, object] = {
            "from": mobile_numbers.mask(old) if old else None,
            "to": mobile_numbers.mask(new),
            "via": change.via,
        }
        await self._record("abha.mobile_changed", person, channel, detail)
        return MobileChanged(person_view(person), old, new)

    async def _change_by(
        self, *, holder_txn: str | None = None, new_txn: str | None = None
    ) -> Recovery:
        txn = holder_txn or new_txn or ""
        if len(txn) > _ID_MAX:
            raise NotFound("otp.unknown")
        query = Recovery.filter(kind=RecoveryKind.MOBILE_CHANGE)
        query = query.filter(holder_txn=txn) if holder_txn else query.filter(new_txn=txn)
        change = await query.first()
        if change is None:
            raise NotFound("otp.unknown")
        return await self._live(change.id, RecoveryKind.MOBILE_CHANGE)

    async def _proved_by_aadhaar(self, txn_id: str) -> bool:
        """Is this the Aadhaar OTP of a lost SIM's mobile change (resent by the gateway)?"""
        if not txn_id or len(txn_id) > _ID_MAX:
            return False
        return await Recovery.exists(holder_txn=txn_id, via="aadhaar")

    # --- the recovery rows -------------------------------------------------------------------

    async def _open(
        self,
        kind: RecoveryKind,
        person: Person,
        *,
        via: str,
        holder_txn: str | None = None,
        new_mobile: str | None = None,
    ) -> Recovery:
        now = self._clock.now()
        await Recovery.filter(expires_at__lte=now).delete()  # nothing kept past its use
        return await Recovery.create(
            id=str(uuid.UUID(int=self._rng.getrandbits(128), version=4)),
            kind=kind,
            abha_number=person.abha_number,
            via=via,
            holder_txn=holder_txn,
            holder_proved_at=now if holder_txn else None,
            new_mobile=new_mobile,
            created_at=now,
            expires_at=now + RECOVERY_LIFE,
        )

    async def _live(self, recovery_id: str, kind: RecoveryKind) -> Recovery:
        found = (
            await Recovery.get_or_none(id=recovery_id, kind=kind)
            if 0 < len(recovery_id) <= _ID_MAX
            else None
        )
        if found is None:
            raise Conflict("recovery.expired")
        if found.done_at is not None:
            raise Conflict("recovery.used")
        if self._clock.now() >= found.expires_at:
            raise Conflict("recovery.expired")
        return found

    async def _claim(self, recovery: Recovery) -> None:
        """Exactly one caller uses a recovery (a duplicate delivery meets `recovery.used`)."""
        claimed = await Recovery.filter(id=recovery.id, done_at=None).update(
            done_at=self._clock.now()
        )
        if claimed != 1:
            raise Conflict("recovery.used")
