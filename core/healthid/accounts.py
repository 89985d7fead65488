"""Living with an ABHA: logging in, the profile, the PIN, pausing and deleting it.

Login and recovery are the same act: prove you hold the registered mobile with an OTP. A person
may name their ABHA by number, by address or by mobile; a mobile can hold several ABHAs (a
family's shared phone), so a login lists every one it holds.

PIN checks count failures with a compare-and-set update, so two wrong PINs typed at the same
moment (a USSD hop and a Telegram message) both count toward the lockout.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from enum import Enum
from typing import Any

from core.errors import Conflict, Forbidden, InvalidInput, Locked, NotFound
from core.healthid import address as abha_address
from core.healthid import held, numbers, pins
from core.healthid import mobile as mobile_numbers
from core.healthid.base import ServiceCore
from core.healthid.models import Kyc, Person, PersonStatus
from core.healthid.profile import clean_address_line, clean_email
from core.healthid.views import PersonView, person_view
from core.otp.service import OtpTicket
from locales import LANGUAGES

LOGIN_PURPOSE = "abha.login"


class Unset(Enum):
    """`update_profile`'s "leave this field alone" (None means "clear it")."""

    UNSET = "unset"


UNSET = Unset.UNSET


def _wait(now: datetime, until: datetime) -> dict[str, Any]:
    """The same wait parameters OtpService gives: `until` for machines, minutes for people."""
    seconds = max(1, math.ceil((until - now).total_seconds()))
    return {"until": until.isoformat(), "seconds": seconds, "minutes": math.ceil(seconds / 60)}


class AccountSteps(ServiceCore):
    # --- login and recovery ----------------------------------------------------------------

    async def start_login(self, identifier: str, *, lang: str, channel: str) -> OtpTicket:
        """OTP to the registered mobile of an ABHA number, an ABHA address or a mobile."""
        self._check_channel(channel)
        via, persons = await self._find_for_login(identifier)
        payload = {"kind": LOGIN_PURPOSE, "via": via}
        if via != "mobile":
            payload["abha"] = persons[0].abha_number
        mobile = persons[0].mobile
        if mobile is None:  # a live ABHA always has one; only tombstones lose it
            raise NotFound("abha.not_found")
        return await self._otp.start(mobile, LOGIN_PURPOSE, lang, payload=payload)

    async def _find_for_login(self, identifier: str) -> tuple[str, list[Person]]:
        text = identifier.strip()
        digits = numbers.compact(text)
        if len(digits) == numbers.LENGTH and digits.isdigit():
            held = await self._person(digits)
            if held.kyc is not Kyc.VERIFIED:  # an ABHA address alone: its key is no number
                raise NotFound("abha.not_found")
            return "number", [held]
        if any(char.isalpha() for char in text):
            address = abha_address.parse(text, self._suffix)
            person = await Person.get_or_none(address=address)
            if person is None:
                raise NotFound("abha.not_found")
            if person.status is PersonStatus.DELETED:
                raise Forbidden("abha.deleted")
            return "address", [person]
        persons = await self._held_by(mobile_numbers.parse(text))
        if not persons:
            raise NotFound("abha.not_found")
        return "mobile", persons

    async def verify_login(self, txn_id: str, otp: str, *, channel: str) -> list[PersonView]:
        """Every ABHA the OTP proves the caller holds (one, or all of a mobile's)."""
        self._check_channel(channel)
        payload = await self._otp.payload(txn_id)
        if payload.get("kind") != LOGIN_PURPOSE:
            raise NotFound("otp.unknown")
        ticket = await self._otp.verify(txn_id, otp)
        if payload["via"] == "mobile":
            persons = await self._held_by(ticket.mobile)
        else:
            person = await Person.get_or_none(abha_number=payload["abha"], mobile=ticket.mobile)
            persons = [person] if person and person.status is not PersonStatus.DELETED else []
        if not persons:
            raise NotFound("abha.not_found")
        for person in persons:
            await self._record("abha.login", person, channel, {"via": payload["via"]})
        return [person_view(person) for person in persons]

    async def _held_by(self, e164: str) -> list[Person]:
        query = Person.filter(mobile=e164).exclude(status=PersonStatus.DELETED)
        return await query.order_by("created_at", "id")

    # --- profile ---------------------------------------------------------------------------

    async def get(self, abha_number: str) -> PersonView:
        return person_view(await self._person(abha_number))

    async def contact_of(self, abha_number: str) -> tuple[str | None, str]:
        """(E.164 mobile, language) to reach the holder with a notice; never shown to anyone."""
        person = await self._active_person(abha_number)
        return person.mobile, person.language

    async def by_mobile(self, mobile: str) -> list[PersonView]:
        e164 = mobile_numbers.parse(mobile)
        known = held.recall(e164)  # within a USSD dial only (core.healthid.held)
        if known is not None:
            return list(known)
        found = [person_view(p) for p in await self._held_by(e164)]
        held.keep(e164, found)
        return list(found)

    async def update_profile(
        self,
        abha_number: str,
        *,
        email: str | Unset | None = UNSET,
        address: str | Unset | None = UNSET,
        language: str | Unset = UNSET,
        channel: str,
    ) -> PersonView:
        """Change what a holder may change themselves; `address` is the postal address line.

        (An ABHA address, like an ABHA number, is permanent.) Audited with the names of the
        changed fields, never their values.
        """
        self._check_channel(channel)
        person = await self._active_person(abha_number)
        changes: dict[str, object] = {}
        if not isinstance(email, Unset):
            changes["email"] = clean_email(email)
        if not isinstance(address, Unset):
            changes["address_line"] = clean_address_line(address)
        if not isinstance(language, Unset):
            if language not in LANGUAGES:
                raise InvalidInput("profile.invalid", field="language")
            changes["language"] = language
        changed = sorted(key for key, value in changes.items() if getattr(person, key) != value)
        if changed:
            person.update_from_dict({**changes, "updated_at": self._clock.now()})
            await person.save()
            await self._record("abha.profile_changed", person, channel, {"fields": changed})
        return person_view(person)

    # --- PIN -------------------------------------------------------------------------------

    async def set_pin(self, abha_number: str, pin: str, *, channel: str) -> None:
        """Set or reset the PIN; the caller has just proved the holder (an OTP login)."""
        self._check_channel(channel)
        person = await self._active_person(abha_number)
        checked = pins.check_strength(pin, person.year_of_birth)
        await self._store_pin(person, checked)
        await self._record("abha.pin_set", person, channel)

    async def change_pin(self, abha_number: str, old: str, new: str, *, channel: str) -> None:
        self._check_channel(channel)
        await self.verify_pin(abha_number, old)
        person = await self._active_person(abha_number)
        checked = pins.check_strength(new, person.year_of_birth)
        await self._store_pin(person, checked)
        await self._record("abha.pin_changed", person, channel)

    async def _store_pin(self, person: Person, pin: str) -> None:
        person.pin_hash = await self._hash_pin(pin)
        person.pin_failures = 0
        person.pin_locked_until = None
        person.updated_at = self._clock.now()
        await person.save(
            update_fields=["pin_hash", "pin_failures", "pin_locked_until", "updated_at"]
        )

    async def verify_pin(
        self, abha_number: str, pin: str, *, deactivated_too: bool = False
    ) -> None:
        """Errors: `pin.format`, `pin.not_set`, `pin.invalid` (attempts_left), `pin.locked`.

        `deactivated_too`: the holder of a deactivated ABHA proves themselves with the same
        PIN, the same counting and lockout, to reactivate or delete it (`core.leaving`).

        Why count before checking: a check that read "4 failures, not locked", hashed, and then
        accepted a right PIN without looking again let a burst of guesses from several channels
        through in the very burst that set the lock. Now each check first claims its attempt
        (a compare-and-set that adds one failure), so no more than `limit` checks are ever in
        flight; a claim past the limit sets the lock; and a right PIN is accepted only by an
        update that finds the lock still unset, so a lock set meanwhile holds against it.
        """
        text = pins.check_format(pin)
        limit = self._settings.pin_max_attempts
        holder = self._person if deactivated_too else self._active_person
        while True:
            person = await holder(abha_number)
            if person.pin_hash is None:
                raise Conflict("pin.not_set")
            now = self._clock.now()
            locked_until = person.pin_locked_until
            if locked_until is not None and now < locked_until:
                raise Locked("pin.locked", **_wait(now, locked_until))
            failures = 0 if locked_until is not None else person.pin_failures
            current = Person.filter(
                id=person.id, pin_failures=person.pin_failures, pin_locked_until=locked_until
            )
            if failures >= limit:  # `limit` checks are in flight already: lock
                until = now + timedelta(seconds=self._settings.pin_lockout_seconds)
                if await current.update(pin_failures=0, pin_locked_until=until) == 1:
                    raise Locked("pin.locked", **_wait(now, until))
                continue
            claimed = failures + 1
            if await current.update(pin_failures=claimed, pin_locked_until=None) != 1:
                continue  # another check claimed first: decide again
            if await self._pin_matches(text, person.pin_hash):
                accepted = await Person.filter(id=person.id, pin_locked_until=None).update(
                    pin_failures=0
                )
                if accepted == 1:
                    if self._pin_hash_stale(person.pin_hash):
                        # Only if the PIN is still the one checked: a change made meanwhile wins.
                        fresh = await self._hash_pin(text)
                        await Person.filter(id=person.id, pin_hash=person.pin_hash).update(
                            pin_hash=fresh
                        )
                    return
                locked = await Person.get(id=person.id)
                until = locked.pin_locked_until or now
                raise Locked("pin.locked", **_wait(now, until))
            if claimed < limit:
                raise InvalidInput("pin.invalid", attempts_left=limit - claimed)
            until = now + timedelta(seconds=self._settings.pin_lockout_seconds)
            await Person.filter(id=person.id, pin_locked_until=None).update(
                pin_failures=0, pin_locked_until=until
            )
            locked = await Person.get(id=person.id)
            raise Locked("pin.locked", **_wait(now, locked.pin_locked_until or until))

    # --- status ----------------------------------------------------------------------------

    async def deactivate(self, abha_number: str, *, channel: str) -> PersonView:
        """Pause the ABHA (no sharing, no changes) until the holder reactivates it."""
        return await self._set_status(abha_number, PersonStatus.DEACTIVATED, channel)

    async def reactivate(self, abha_number: str, *, channel: str) -> PersonView:
        return await self._set_status(abha_number, PersonStatus.ACTIVE, channel)

    async def _set_status(self, abha_number: str, status: PersonStatus, channel: str) -> PersonView:
        self._check_channel(channel)
        person = await self._person(abha_number)
        if person.status is not status:
            person.status = status
            person.updated_at = self._clock.now()
            await person.save(update_fields=["status", "updated_at"])
            action = "abha.reactivated" if status is PersonStatus.ACTIVE else "abha.deactivated"
            await self._record(action, person, channel)
        return person_view(person)

    async def delete(self, abha_number: str, *, channel: str) -> None:
        """Wipe the person, keep a tombstone: the number and address are never reissued.

        The Aadhaar HMAC goes too, so the same Aadhaar may enrol again later (with a new number).
        """
        self._check_channel(channel)
        person = await self._person(abha_number)
        now = self._clock.now()
        person.update_from_dict(
            {
                "aadhaar_hmac": None,
                "aadhaar_last4": None,
                "first_name": "",
                "middle_name": None,
                "last_name": None,
                "gender": None,
                "year_of_birth": None,
                "month_of_birth": None,
                "day_of_birth": None,
                "email": None,
                "address_line": None,
                "state_lgd": None,
                "district_lgd": None,
                "pin_code": None,
                "mobile": None,
                "pin_hash": None,
                "pin_failures": 0,
                "pin_locked_until": None,
                "status": PersonStatus.DELETED,
                "updated_at": now,
                "deleted_at": now,
            }
        )
        await person.save()
        await self._record("abha.deleted", person, channel)
