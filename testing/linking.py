"""A link token the person authorised, for tests that link visits for other reasons.

Why through the real service: linking needs the person's say-so (core.records.linking), so a
test that links a visit gets its token the way a facility does: a request, the code read from
the SMS the ABHA's mobile received, and the token taken with that code. `held_token` keeps one
token per facility and person for the life of a LinkService, as a facility keeps its token for
six months: a test linking many visits does not spend the three requests a day allowed.
"""

from __future__ import annotations

import re
import weakref

from core.facilities.views import FacilityView
from core.healthid.views import PersonView
from core.records.linking import LinkService
from core.records.people import person_by_number
from core.services import Services
from core.sms.outbox import SmsService

_HELD: weakref.WeakKeyDictionary[LinkService, dict[tuple[str, str], str]] = (
    weakref.WeakKeyDictionary()
)


async def sent_link_code(services: Services | SmsService, mobile: str) -> str:
    """The code of the newest link request SMS to `mobile` (E.164)."""
    sms = services.sms if isinstance(services, Services) else services
    for row in reversed(await sms.sent_to(mobile)):
        found = re.search(r"YES (\d{6})\b", row.text)
        if found:
            return found.group(1)
    raise AssertionError(f"no link request SMS was sent to {mobile}")


async def link_token(services: Services, facility: FacilityView | str, person: PersonView) -> str:
    """A fresh token for `facility` (a view or its id) to link visits for `person`."""
    if isinstance(facility, str):
        facility = await services.facilities.get(facility)
    return await authorised_token(services.links, services.sms, facility, person)


async def authorised_token(
    links: LinkService, sms: SmsService, facility: FacilityView, person: PersonView
) -> str:
    """A fresh token: asked, the code read from the person's SMS, and taken with it. An ABHA
    made with a mobile alone is named by its address, as a facility knows it (its number is
    only the registry's internal key)."""
    if person.has_number:
        asked = await links.request(facility, abha_number=person.abha_number)
    else:
        asked = await links.request(facility, abha_address=person.address)
    row = await person_by_number(person.abha_number)
    assert row.mobile is not None, "the person needs a mobile to be asked"
    code = await sent_link_code(sms, row.mobile)
    return (await links.issue(facility, asked.id, code)).token


async def held_token(
    links: LinkService, sms: SmsService, facility: FacilityView, person: PersonView
) -> str:
    """The token this facility already holds for this person, or a fresh one."""
    held = _HELD.setdefault(links, {})
    key = (facility.id, person.abha_number)
    if key not in held:
        held[key] = await authorised_token(links, sms, facility, person)
    return held[key]
