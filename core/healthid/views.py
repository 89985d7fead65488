"""What the Health ID service hands back: read-only views safe to show a person.

Why views and not models: a flow may put what it shows into conversation state or a reply, so
what leaves the service is frozen plain data with the mobile and the Aadhaar already masked.
The Aadhaar never appears beyond its last four digits, and the PIN hash not at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from core.healthid import aadhaar, mobile, numbers
from core.healthid.drafts import Draft
from core.healthid.models import Person
from core.healthid.profile import Demographics


@dataclass(frozen=True, slots=True)
class PersonView:
    abha_number: str  # formatted XX-XXXX-XXXX-XXXX (service methods accept it as is)
    address: str  # handle@suffix
    name: str
    first_name: str
    middle_name: str | None
    last_name: str | None
    gender: str | None  # M, F, O (None only on a deleted tombstone)
    year_of_birth: int | None
    birth_date: date | None  # when day and month are known
    mobile: str | None  # masked: ******3210
    email: str | None
    address_line: str | None
    state_lgd: int | None
    district_lgd: int | None
    pin_code: str | None
    kyc: str  # verified | self_declared
    language: str
    status: str  # active | deactivated | deleted
    has_pin: bool
    aadhaar: str | None  # masked: XXXX-XXXX-1234, only for Aadhaar-verified ABHAs

    @property
    def has_number(self) -> bool:
        """Whether this ABHA has an ABHA number a person may be shown.

        ABDM issues an ABHA number only after KYC (Aadhaar): an ABHA made with a mobile alone
        is an ABHA address. Its `abha_number` is then only this registry's internal key (what
        records, consents and chats are tied to), never shown; channels show `address` instead,
        until the holder links their Aadhaar (`link_aadhaar`) and the number becomes theirs.
        """
        return self.kyc == "verified"


def person_view(person: Person) -> PersonView:
    birth = None
    if person.year_of_birth and person.month_of_birth and person.day_of_birth:
        birth = date(person.year_of_birth, person.month_of_birth, person.day_of_birth)
    names = (person.first_name, person.middle_name, person.last_name)
    return PersonView(
        abha_number=numbers.format(person.abha_number),
        address=person.address,
        name=" ".join(part for part in names if part),
        first_name=person.first_name,
        middle_name=person.middle_name,
        last_name=person.last_name,
        gender=person.gender.value if person.gender else None,
        year_of_birth=person.year_of_birth,
        birth_date=birth,
        mobile=mobile.mask(person.mobile) if person.mobile else None,
        email=person.email,
        address_line=person.address_line,
        state_lgd=person.state_lgd,
        district_lgd=person.district_lgd,
        pin_code=person.pin_code,
        kyc=person.kyc.value,
        language=person.language,
        status=person.status.value,
        has_pin=person.pin_hash is not None,
        aadhaar=aadhaar.mask(person.aadhaar_last4) if person.aadhaar_last4 else None,
    )


@dataclass(frozen=True, slots=True)
class Enrolment:
    """Where an enrolment stands; a flow keeps only `draft_id` in its state.

    `existing` is set when this Aadhaar already has an ABHA: nothing new was (or will be)
    created and the draft is gone; show the person their existing ABHA instead.
    """

    draft_id: str
    kyc: str  # verified | self_declared
    existing: PersonView | None
    name: str | None  # None until the no-Aadhaar path's profile is set
    gender: str | None
    year_of_birth: int | None
    birth_date: date | None
    mobile: str  # masked: ******3210
    address: str | None  # handle@suffix, None until chosen
    has_pin: bool

    @property
    def needs_profile(self) -> bool:
        return self.existing is None and self.name is None

    @property
    def ready(self) -> bool:
        """`finish` will accept it (a PIN is optional: it can be set later)."""
        return self.existing is None and self.name is not None and self.address is not None


def enrolment_view(draft: Draft, existing: PersonView | None = None) -> Enrolment:
    demographics = Demographics.from_json(draft.demographics) if draft.demographics else None
    return Enrolment(
        draft_id=draft.id,
        kyc=draft.kyc.value,
        existing=existing,
        name=demographics.name if demographics else None,
        gender=demographics.gender if demographics else None,
        year_of_birth=demographics.year_of_birth if demographics else None,
        birth_date=demographics.birth_date if demographics else None,
        mobile=mobile.mask(draft.mobile),
        address=draft.address,
        has_pin=draft.pin_hash is not None,
    )
