"""Enrolment: from a first OTP to a new ABHA, by Aadhaar or by mobile alone.

    start_aadhaar -> verify_aadhaar ------------------\\
    start_mobile  -> verify_mobile  -> set_profile ----> suggest_addresses -> choose_address
                                                          -> (set_draft_pin) -> finish

Each step reads and updates one `Draft` in the state store (core.healthid.drafts), so a
conversation keeps only the draft id and no step before `finish` touches the database but to
check the mobile's cap and the addresses taken. `finish` is one transaction: the person and
their audit events together or not at all; the draft is dropped after it commits.

One ABHA per Aadhaar: `verify_aadhaar` returns the existing ABHA (`Enrolment.existing`), and
when two enrolments of one Aadhaar race past that check, the unique constraint on the Aadhaar
HMAC lets one insert win; the loser catches the IntegrityError and returns the winner's ABHA.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from core.errors import ArogyaError, Conflict, NotFound, Unavailable
from core.healthid import aadhaar as aadhaar_numbers
from core.healthid import address as abha_address
from core.healthid import mobile as mobile_numbers
from core.healthid import numbers, pins
from core.healthid.aadhaar_gateway import Ekyc
from core.healthid.base import ServiceCore
from core.healthid.drafts import Draft
from core.healthid.models import Gender, Kyc, Person
from core.healthid.profile import Demographics, SelfDeclaredProfile, split_name, validated
from core.healthid.views import Enrolment, PersonView, enrolment_view, person_view
from core.otp.service import OtpTicket

ENROL_PURPOSE = "abha.enrol"
#: Attempts at a fresh random number before giving up; a collision is a 1-in-10^12 event.
NUMBER_ATTEMPTS = 5


def _from_ekyc(ekyc: Ekyc) -> Demographics:
    first, middle, last = split_name(ekyc.name)
    return Demographics(
        first_name=first,
        middle_name=middle,
        last_name=last,
        gender=ekyc.gender,
        year_of_birth=ekyc.birth_date.year,
        month_of_birth=ekyc.birth_date.month,
        day_of_birth=ekyc.birth_date.day,
        address_line=ekyc.address,
        state_lgd=ekyc.state_lgd,
        district_lgd=ekyc.district_lgd,
        pin_code=ekyc.pin_code,
    )


class EnrolmentSteps(ServiceCore):
    # --- opening a draft -------------------------------------------------------------------

    async def start_aadhaar(
        self, aadhaar: str, mobile: str, *, lang: str, channel: str
    ) -> OtpTicket:
        """Send UIDAI's OTP; the draft keeps the Aadhaar's HMAC and last 4, never the number."""
        self._check_channel(channel)
        number = aadhaar_numbers.parse(aadhaar)
        e164 = mobile_numbers.parse(mobile)
        ticket = await self._aadhaar.request_otp(number, e164, lang=lang)
        await self._open_draft(
            ticket,
            Kyc.VERIFIED,
            lang,
            channel,
            aadhaar_hmac=aadhaar_numbers.keyed_hash(number, self._aadhaar_key),
            aadhaar_last4=aadhaar_numbers.last4(number),
        )
        return ticket

    async def start_mobile(self, mobile: str, *, lang: str, channel: str) -> OtpTicket:
        self._check_channel(channel)
        e164 = mobile_numbers.parse(mobile)
        await self._check_mobile_cap(e164)
        ticket = await self._otp.start(e164, ENROL_PURPOSE, lang, payload={"kind": ENROL_PURPOSE})
        await self._open_draft(ticket, Kyc.SELF_DECLARED, lang, channel)
        return ticket

    async def start_attested(self, worker_mobile: str, *, lang: str, channel: str) -> OtpTicket:
        """A draft for a person with no phone, opened by the attesting health worker's OTP to
        her own phone. Neither her phone's ABHA cap nor its hourly OTP limit applies: the ABHA
        is made with no mobile (so never counts on her phone), and her daily quota of assisted
        enrolments (`core.workers.assisted.begin`) bounds these sends instead."""
        self._check_channel(channel)
        e164 = mobile_numbers.parse(worker_mobile)
        payload = {"kind": ENROL_PURPOSE}
        ticket = await self._otp.start(e164, ENROL_PURPOSE, lang, payload=payload, counted=False)
        await self._open_draft(ticket, Kyc.SELF_DECLARED, lang, channel, attested=True)
        return ticket

    async def _open_draft(
        self,
        ticket: OtpTicket,
        kyc: Kyc,
        lang: str,
        channel: str,
        *,
        aadhaar_hmac: str | None = None,
        aadhaar_last4: str | None = None,
        attested: bool = False,
    ) -> None:
        now = self._clock.now()
        draft = Draft(
            id=f"{self._rng.getrandbits(128):032x}",
            txn_id=ticket.txn_id,
            kyc=kyc,
            mobile=ticket.mobile,
            aadhaar_hmac=aadhaar_hmac,
            aadhaar_last4=aadhaar_last4,
            language=lang,
            channel=channel,
            attested=attested,
            created_at=now,
            expires_at=self._draft_expiry(),
        )
        await self._drafts.save(draft)

    # --- proving the mobile (and the Aadhaar) ----------------------------------------------

    async def verify_aadhaar(self, txn_id: str, otp: str) -> Enrolment:
        draft = await self._draft_for_txn(txn_id, Kyc.VERIFIED, Conflict("aadhaar.txn_expired"))
        ekyc = await self._aadhaar.verify_otp(txn_id, otp)
        existing = await Person.get_or_none(aadhaar_hmac=draft.aadhaar_hmac)
        if existing is not None:
            await self._drafts.delete(draft)
            return enrolment_view(draft, existing=person_view(existing))
        await self._check_mobile_cap(draft.mobile)
        draft.demographics = _from_ekyc(ekyc).to_json()
        draft.mobile_verified = True
        return await self._save(draft)

    async def verify_mobile(self, txn_id: str, otp: str) -> Enrolment:
        draft = await self._draft_for_txn(txn_id, Kyc.SELF_DECLARED, NotFound("otp.unknown"))
        await self._otp.verify(txn_id, otp)
        draft.mobile_verified = True
        return await self._save(draft)

    async def set_profile(self, draft_id: str, profile: SelfDeclaredProfile) -> Enrolment:
        """The no-Aadhaar path's self-declared details (eKYC details cannot be overridden)."""
        draft = await self._live_draft(draft_id)
        if draft.kyc is Kyc.VERIFIED:
            raise Conflict("draft.verified")
        if not draft.mobile_verified:
            raise Conflict("draft.incomplete")
        draft.demographics = validated(profile, self._today()).to_json()
        return await self._save(draft)

    # --- address and PIN -------------------------------------------------------------------

    async def suggest_addresses(self, draft_id: str) -> list[str]:
        """At least three free handles from the person's name and birth year."""
        draft = await self._live_draft(draft_id)
        person = self._demographics(draft)
        taken: set[str] = set()
        while True:
            handles = abha_address.suggest(
                person.first_name, person.last_name, person.year_of_birth, taken.__contains__
            )
            clashes = await self._taken_handles(handles, draft.id)
            if not clashes:
                draft.free = [f"{handle}@{self._suffix}" for handle in handles]
                await self._save(draft)
                return handles
            taken |= clashes

    async def choose_address(self, draft_id: str, handle: str) -> Enrolment:
        """Errors: `address.taken` (by an ABHA, or by another live draft).

        A suggestion just found free is not looked up in the table again (issue 18: one SQL
        statement of every registration); another draft's choice is still checked, and an ABHA
        that took it meanwhile is refused by `finish` (the address is unique) as before.
        """
        draft = await self._live_draft(draft_id)
        address = abha_address.parse(handle, self._suffix)
        handle_only = [abha_address.handle_of(address)]
        if address in draft.free:
            if await self._drafts.holders([address], self._clock.now(), but=draft.id):
                raise Conflict("address.taken")
        elif await self._taken_handles(handle_only, draft.id):
            raise Conflict("address.taken")
        draft.address, draft.free = address, []
        return await self._save(draft)

    async def set_draft_pin(self, draft_id: str, pin: str) -> Enrolment:
        draft = await self._live_draft(draft_id)
        year = draft.demographics.get("year_of_birth") if draft.demographics else None
        checked = pins.check_strength(pin, year if isinstance(year, int) else None)
        draft.pin_hash = await self._hash_pin(checked)
        return await self._save(draft)

    async def draft(self, draft_id: str) -> Enrolment:
        return enrolment_view(await self._live_draft(draft_id))

    # --- finishing -------------------------------------------------------------------------

    async def finish(self, draft_id: str, *, channel: str) -> PersonView:
        """Create the ABHA (atomically), or return the one this Aadhaar already has."""
        self._check_channel(channel)
        draft = await self._live_draft(draft_id)
        person = self._demographics(draft)
        if not draft.mobile_verified or draft.address is None:
            raise Conflict("draft.incomplete")
        for _ in range(NUMBER_ATTEMPTS):
            number = numbers.generate(self._rng)
            try:
                async with in_transaction():
                    if not draft.attested:  # an attested ABHA has no mobile to count on
                        await self._check_mobile_cap(draft.mobile)
                    created = await self._create_person(draft, person, number, channel)
            except Conflict:  # the mobile's cap: unless this Aadhaar is already one of them
                existing = await self._existing_for(draft)
                if existing is None:
                    raise
                return existing
            except IntegrityError:  # a unique constraint: which one tells what to do
                existing = await self._existing_for(draft)
                if existing is not None:
                    return existing
                if await Person.filter(address=draft.address).exists():
                    raise Conflict("address.taken") from None
                if await Person.filter(abha_number=number).exists():
                    continue  # a number collision: draw again
                raise
            await self._drafts.delete(draft)
            return person_view(created)
        raise Unavailable("abha.unavailable")

    async def _create_person(
        self, draft: Draft, person: Demographics, number: str, channel: str
    ) -> Person:
        now = self._clock.now()
        created = await Person.create(
            abha_number=number,
            address=draft.address,
            aadhaar_hmac=draft.aadhaar_hmac,
            aadhaar_last4=draft.aadhaar_last4,
            first_name=person.first_name,
            middle_name=person.middle_name,
            last_name=person.last_name,
            gender=Gender(person.gender),
            year_of_birth=person.year_of_birth,
            month_of_birth=person.month_of_birth,
            day_of_birth=person.day_of_birth,
            email=person.email,
            address_line=person.address_line,
            state_lgd=person.state_lgd,
            district_lgd=person.district_lgd,
            pin_code=person.pin_code,
            mobile=None if draft.attested else draft.mobile,
            kyc=draft.kyc,
            language=draft.language,
            pin_hash=draft.pin_hash,
            created_at=now,
            updated_at=now,
        )
        events: list[tuple[str, dict[str, object] | None]] = [
            ("abha.enrolled", {"kyc": draft.kyc.value})
        ]
        if draft.pin_hash is not None:
            events.append(("abha.pin_set", None))
        await self._audit.record_together(
            events, actor=created.abha_number, subject=created.abha_number, channel=channel
        )
        return created

    async def _existing_for(self, draft: Draft) -> PersonView | None:
        """The ABHA this draft's Aadhaar already has (the draft is then spent)."""
        if draft.aadhaar_hmac is None:
            return None
        existing = await Person.get_or_none(aadhaar_hmac=draft.aadhaar_hmac)
        if existing is None:
            return None
        await self._drafts.delete(draft)
        return person_view(existing)

    # --- drafts ----------------------------------------------------------------------------

    def _draft_expiry(self) -> datetime:
        """A draft lives as long as the conversation holding its id, renewed at every step."""
        return self._clock.now() + timedelta(seconds=self._settings.conversation_ttl_seconds)

    async def _live_draft(self, draft_id: str) -> Draft:
        draft = await self._drafts.get(draft_id)
        if draft is None or not draft.live_at(self._clock.now()):
            raise NotFound("draft.expired")
        return draft

    async def _draft_for_txn(self, txn_id: str, kyc: Kyc, unknown: ArogyaError) -> Draft:
        """The draft an OTP transaction opened; `unknown` if it opened none of this kind."""
        draft = await self._drafts.by_txn(txn_id)
        if draft is None or draft.kyc is not kyc:
            raise unknown
        if not draft.live_at(self._clock.now()):
            raise NotFound("draft.expired")
        return draft

    async def _save(self, draft: Draft) -> Enrolment:
        draft.expires_at = self._draft_expiry()
        await self._drafts.save(draft)
        return enrolment_view(draft)

    @staticmethod
    def _demographics(draft: Draft) -> Demographics:
        if draft.demographics is None:
            raise Conflict("draft.incomplete")
        return Demographics.from_json(draft.demographics)

    async def _taken_handles(self, handles: list[str], draft_id: str) -> set[str]:
        """Which handles an ABHA, or another live draft, already holds."""
        addresses = [f"{handle}@{self._suffix}" for handle in handles]
        held = await Person.filter(address__in=addresses).values_list("address", flat=True)
        chosen = await self._drafts.holders(addresses, self._clock.now(), but=draft_id)
        return {abha_address.handle_of(str(address)) for address in [*held, *chosen]}
