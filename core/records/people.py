"""Finding the person a facility or a reader names, by ABHA number or ABHA address.

Why here and not a HealthIdService call: records need the Person row itself (a foreign key),
and must apply the same refusals the Health ID registry applies (`abha.not_found`,
`abha.deleted`, `abha.inactive`) with the same codes, so a partner sees one vocabulary.
"""

from __future__ import annotations

from core.errors import Forbidden, InvalidInput, NotFound
from core.healthid import address, numbers
from core.healthid.models import Kyc, Person, PersonStatus


async def person_by_number(abha_number: str) -> Person:
    """An ABHA that exists and is not deleted (a deactivated one can still read its records)."""
    person = await Person.get_or_none(abha_number=numbers.parse(abha_number))
    if person is None:
        raise NotFound("abha.not_found")
    if person.status is PersonStatus.DELETED:
        raise Forbidden("abha.deleted")
    return person


async def linkable_person(
    abha_number: str | None, abha_address: str | None, *, suffix: str
) -> Person:
    """An ACTIVE person named by exactly one of number or address: records may be linked
    only to an ABHA in use."""
    if (abha_number is None) == (abha_address is None):
        raise InvalidInput("records.invalid", field="abha")
    if abha_number is not None:
        person = await person_by_number(abha_number)
    else:
        assert abha_address is not None
        found = await Person.get_or_none(address=address.parse(abha_address, suffix))
        if found is None:
            raise NotFound("abha.not_found")
        person = found
    if person.status is PersonStatus.DELETED:
        raise Forbidden("abha.deleted")
    if person.status is not PersonStatus.ACTIVE:
        raise Forbidden("abha.inactive")
    return person


async def named_person(abha_number: str | None, abha_address: str | None, *, suffix: str) -> Person:
    """`linkable_person` for a number or address a partner (an HIP, an HIU) typed.

    Why apart: an ABHA made with a mobile alone has no ABHA number, and its `abha_number`
    column is only this registry's internal key, never shown to anyone. A partner naming it
    must have guessed or leaked it, so it reads as no ABHA at all (`abha.not_found`, as an
    unknown number), never as the person; the address is how a partner names that ABHA.
    Internal callers that hold the key from a row of their own use `linkable_person`."""
    if abha_number is not None and abha_address is None:
        found = await Person.get_or_none(abha_number=numbers.parse(abha_number))
        if found is not None and found.kyc is Kyc.SELF_DECLARED:
            raise NotFound("abha.not_found")
    return await linkable_person(abha_number, abha_address, suffix=suffix)


async def still_active(person: Person) -> None:
    """Read the holder's status again, inside the caller's transaction, after its write: a
    deletion or deactivation that began meanwhile wins and the caller rolls back (the same
    refusals as `linkable_person`)."""
    found = await Person.filter(id=person.id).values_list("status", flat=True)
    status = found[0] if found else PersonStatus.DELETED
    if status == PersonStatus.DELETED:
        raise Forbidden("abha.deleted")
    if status != PersonStatus.ACTIVE:
        raise Forbidden("abha.inactive")
