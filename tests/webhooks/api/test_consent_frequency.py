"""ABDM's consent `frequency` is kept on fetch, not only signed (core.consent.frequency).

Tried as a HIU would: an artefact signed "once an hour" (unit HOUR, value 1, repeats 0) fetched
again at once, and one allowing two more fetches a day fetched a fourth time. Before, every
fetch was answered.
"""

from __future__ import annotations

import asyncio
from typing import Any

from core.clock import FrozenClock
from core.consent.views import ArtefactView
from testing.world import PIN, abdm_body
from tests.webhooks.api.conftest import Api
from tests.webhooks.api.test_consent import ASK, records_of, scene


async def granted(api: Api, unit: str, value: int, repeats: int) -> tuple[ArtefactView, str]:
    """An artefact under the given frequency, granted, and its HIU's key."""
    _, person, hiu_id, key, _, _ = await scene(api)
    permission: dict[str, Any] = abdm_body(hiu_id, person.address)["consent"]["permission"]
    permission["frequency"] = {"unit": unit, "value": value, "repeats": repeats}
    body = abdm_body(hiu_id, person.address, permission=permission)
    asked = await api.call("POST", ASK, json_body=body, key=key)
    assert asked.status == 201, asked.body
    consent = api.services.consent
    code = (await consent.find_by_id(person.abha_number, asked.body["id"])).code
    [artefact] = (await consent.grant(person.abha_number, code, PIN, channel="sms")).artefacts
    return artefact, key


async def test_once_an_hour_means_one_fetch_an_hour(api: Api, clock: FrozenClock) -> None:
    artefact, key = await granted(api, "HOUR", 1, 0)
    first = await api.call("GET", records_of(artefact.id, "?page_size=1"), key=key)
    assert first.status == 200, first.body
    # the rest of the same fetch is not another fetch
    second_page = await api.call("GET", first.body["next"], key=key)
    assert second_page.status == 200, second_page.body
    again = await api.call("GET", records_of(artefact.id), key=key)
    assert (again.status, again.code) == (429, "consent.frequency_exceeded")
    assert int(again.headers["Retry-After"]) == 3600
    clock.advance(minutes=30)
    later = await api.call("GET", records_of(artefact.id), key=key)
    assert int(later.headers["Retry-After"]) == 1800
    clock.advance(minutes=31)  # the next hour
    next_hour = await api.call("GET", records_of(artefact.id), key=key)
    assert next_hour.status == 200, next_hour.body
    fetched = await api.services.audit.events(action="consent.fetched")
    assert len(fetched) == 3  # two pages of the first fetch, one of the next; none refused


async def test_repeats_are_more_fetches_in_the_window_even_when_racing(
    api: Api, clock: FrozenClock
) -> None:
    artefact, key = await granted(api, "DAY", 1, 2)
    answers = await asyncio.gather(
        *(api.call("GET", records_of(artefact.id), key=key) for _ in range(6))
    )
    assert sorted(a.status for a in answers) == [200, 200, 200, 429, 429, 429]
    paged = await api.call("GET", records_of(artefact.id, "?page=2&page_size=1"), key=key)
    assert paged.status == 200  # a later page of a fetch made in this window
    clock.advance(days=1)
    lone_page = await api.call("GET", records_of(artefact.id, "?page=2&page_size=1"), key=key)
    assert (lone_page.status, lone_page.code) == (429, "consent.frequency_exceeded")
    assert (await api.call("GET", records_of(artefact.id), key=key)).status == 200
