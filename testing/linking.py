"""A link token the person authorised, for tests that link visits for other reasons.

Why through the real service: linking needs the person's say-so (core.records.linking), so a
test that links a visit gets its token the way a facility does: a request, the code read from
the SMS the ABHA's mobile received, and the token taken with that code.
"""

from __future__ import annotations

import re

from core.facilities.views import FacilityView
from core.healthid.views import PersonView
from core.records.people import person_by_number
from core.services import Services


async def sent_link_code(services: Services, mobile: str) -> str:
    """The code of the newest link request SMS to `mobile` (E.164)."""
    for row in reversed(await services.sms.sent_to(mobile)):
        found = re.search(r"YES (\d{6})\b", row.text)
        if found:
            return found.group(1)
    raise AssertionError(f"no link request SMS was sent to {mobile}")


async def link_token(services: Services, facility: FacilityView | str, person: PersonView) -> str:
    """A fresh token for `facility` (a view or its id) to link visits for `person`."""
    if isinstance(facility, str):
        facility = await services.facilities.get(facility)
    links = services.links
    asked = await links.request(facility, abha_number=person.abha_number)
    row = await person_by_number(person.abha_number)
    assert row.mobile is not None, "the person needs a mobile to be asked"
    code = await sent_link_code(services, row.mobile)
    return (await links.issue(facility, asked.id, code)).token
