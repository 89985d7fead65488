"""The Aadhaar OTP on an existing ABHA: an ABHA address linked to its number, and find my ABHA.

ABDM issues an ABHA number only after KYC. An ABHA made with a mobile alone is therefore an ABHA
address, and its `abha_number` is only this registry's internal key (what records, consents and
chats stand on, never shown). When its holder proves an Aadhaar by OTP, the address is kept and
linked to the ABHA number: that key becomes the holder's ABHA number, the demographics become
the Aadhaar's (eKYC), and the ABHA is KYC-verified from then on. Nothing the person already had
(records, consents, chats, PIN) moves, because the key does not change.

    start_link_aadhaar(abha, aadhaar) -> OTP from UIDAI -> verify_link_aadhaar(abha, txn, otp)

One ABHA per Aadhaar, as in enrolment: an Aadhaar that already has an ABHA is refused after its
OTP (never before, so a typed Aadhaar cannot be used to learn whether it has one), with a reply
that tells the person to log in to that ABHA. The check and the change are one conditional
update under the Aadhaar HMAC's unique constraint, so two links of one Aadhaar cannot both win.

Find my ABHA / log in by Aadhaar OTP (ABDM's `loginHint: aadhaar`): a 12-digit Aadhaar given to
`start_login` finds the ABHA by the Aadhaar's keyed hash and sends UIDAI's OTP; `verify_login`
returns that ABHA. The sandbox sends the OTP to the ABHA's mobile (UIDAI: the Aadhaar's own).
"""

from __future__ import annotations

from datetime import timedelta

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from core.errors import Conflict, Forbidden, NotFound
from core.healthid import aadhaar as aadhaar_numbers
from core.healthid import numbers
from core.healthid.accounts import AccountSteps
from core.healthid.enrolment import _from_ekyc
from core.healthid.models import Gender, Kyc, Person, PersonStatus
from core.healthid.views import PersonView, person_view
from core.identity.models import AadhaarLink
from core.otp.service import OtpTicket

#: What an Aadhaar OTP waiting in `AadhaarLink` is for.
LINK, LOGIN = "link", "login"
#: An Aadhaar's length: 12 digits are an Aadhaar at login (a mobile has 10, a number 14).
AADHAAR_DIGITS = 12


class LinkSteps(AccountSteps):
    # --- find my ABHA / log in by Aadhaar OTP ------------------------------------------------

    async def start_login(self, identifier: str, *, lang: str, channel: str) -> OtpTicket:
        """A 12-digit Aadhaar logs in by UIDAI's OTP; anything else as `AccountSteps` does."""
        digits = identifier.strip().replace(" ", "").replace("-", "")
        if not (len(digits) == AADHAAR_DIGITS and digits.isdigit()):
            return await super().start_login(identifier, lang=lang, channel=channel)
        self._check_channel(channel)
        number = aadhaar_numbers.parse(digits)
        hmac = aadhaar_numbers.keyed_hash(number, self._aadhaar_key)
        person = await Person.get_or_none(aadhaar_hmac=hmac)
        if person is None or person.mobile is None:
            raise NotFound("abha.not_found")
        if person.status is PersonStatus.DELETED:
            raise Forbidden("abha.deleted")
        # UIDAI sends it to the Aadhaar's mobile (the sandbox: the mobile this ABHA proved)
        ticket = await self._aadhaar.request_otp(number, person.mobile, lang=lang)
        await self._keep(ticket, LOGIN, person.abha_number, number)
        return ticket

    async def verify_login(self, txn_id: str, otp: str, *, channel: str) -> list[PersonView]:
        """The ABHA of the Aadhaar the OTP proved; other logins as `AccountSteps` does."""
        login = await AadhaarLink.get_or_none(txn_id=txn_id, purpose=LOGIN)
        if login is None:
            return await super().verify_login(txn_id, otp, channel=channel)
        self._check_channel(channel)
        if login.expires_at <= self._clock.now():
            raise Conflict("aadhaar.txn_expired")
        await self._aadhaar.verify_otp(txn_id, otp)  # a wrong OTP keeps the login open
        await AadhaarLink.filter(txn_id=txn_id).delete()
        person = await Person.get_or_none(aadhaar_hmac=login.aadhaar_hmac)
        if person is None or person.status is PersonStatus.DELETED:
            raise NotFound("abha.not_found")
        await self._record("abha.login", person, channel, {"via": "aadhaar"})
        return [person_view(person)]

    async def _keep(self, ticket: OtpTicket, purpose: str, key: str, aadhaar: str) -> None:
        """What the OTP's check will need: never the Aadhaar, only its keyed hash and last 4."""
        now = self._clock.now()
        await AadhaarLink.filter(expires_at__lte=now).delete()  # keep the table small
        await AadhaarLink.create(
            txn_id=ticket.txn_id,
            purpose=purpose,
            abha_number=key,
            aadhaar_hmac=aadhaar_numbers.keyed_hash(aadhaar, self._aadhaar_key),
            aadhaar_last4=aadhaar_numbers.last4(aadhaar),
            expires_at=now + timedelta(seconds=self._settings.conversation_ttl_seconds),
        )

    # --- an ABHA address linked to an ABHA number -------------------------------------------

    async def start_link_aadhaar(
        self, abha_number: str, aadhaar: str, *, lang: str, channel: str
    ) -> OtpTicket:
        """Send UIDAI's OTP for `aadhaar` to the ABHA's own mobile; keep only its keyed hash."""
        self._check_channel(channel)
        person = await self._active_person(abha_number)
        if person.kyc is Kyc.VERIFIED:
            raise Conflict("abha.has_number")
        number = aadhaar_numbers.parse(aadhaar)
        if person.mobile is None:  # a live ABHA always has one; only tombstones lose it
            raise NotFound("abha.not_found")
        ticket = await self._aadhaar.request_otp(number, person.mobile, lang=lang)
        await self._keep(ticket, LINK, person.abha_number, number)
        return ticket

    async def verify_link_aadhaar(
        self, abha_number: str, txn_id: str, otp: str, *, channel: str
    ) -> PersonView:
        """Check the OTP; the ABHA address is then linked to its ABHA number (KYC-verified)."""
        self._check_channel(channel)
        key = numbers.parse(abha_number)
        link = await AadhaarLink.get_or_none(txn_id=txn_id, purpose=LINK)
        if link is None or link.abha_number != key or link.expires_at <= self._clock.now():
            raise Conflict("aadhaar.txn_expired")
        ekyc = await self._aadhaar.verify_otp(txn_id, otp)  # a wrong OTP keeps the link
        await AadhaarLink.filter(txn_id=txn_id).delete()
        if await Person.filter(aadhaar_hmac=link.aadhaar_hmac).exists():
            raise Conflict("aadhaar.has_abha")
        details = _from_ekyc(ekyc)
        try:
            async with in_transaction():
                changed = await Person.filter(abha_number=key, kyc=Kyc.SELF_DECLARED).update(
                    kyc=Kyc.VERIFIED,
                    aadhaar_hmac=link.aadhaar_hmac,
                    aadhaar_last4=link.aadhaar_last4,
                    first_name=details.first_name,
                    middle_name=details.middle_name,
                    last_name=details.last_name,
                    gender=Gender(details.gender),
                    year_of_birth=details.year_of_birth,
                    month_of_birth=details.month_of_birth,
                    day_of_birth=details.day_of_birth,
                    address_line=details.address_line,
                    state_lgd=details.state_lgd,
                    district_lgd=details.district_lgd,
                    pin_code=details.pin_code,
                    updated_at=self._clock.now(),
                )
                if not changed:  # linked meanwhile (another channel), or no longer active
                    raise Conflict("abha.has_number")
                person = await self._active_person(key)
                await self._record("abha.aadhaar_linked", person, channel)
        except IntegrityError:  # the same Aadhaar linked or enrolled at the same moment
            raise Conflict("aadhaar.has_abha") from None
        return person_view(person)
