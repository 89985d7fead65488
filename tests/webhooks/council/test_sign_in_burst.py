"""A burst of sign-ins at the console cannot beat the officer's lockout (real HTTP, loopback).

What broke: every sign-in in a burst read "not locked", so about 30 passwords were checked in a
window meant for 5, and a right one among them signed in although the burst locked the account.
"""

from __future__ import annotations

import asyncio

from aiohttp import ClientResponse

from core.professionals.models import CouncilOfficer, OfficerSession
from testing.professionals import PASSWORD
from tests.core.professionals.helpers import officer
from tests.webhooks.council.helpers import Console, csrf_of

SIGN_IN = "/council/sign-in"
WRONG = "not-the-password-1"


async def test_a_lock_set_by_a_burst_holds_against_the_right_password(console: Console) -> None:
    await officer(console.wiring)
    _, html = await console.page(SIGN_IN)
    token = csrf_of(html)

    async def attempt(password: str, delay: float = 0.0) -> ClientResponse:
        await asyncio.sleep(delay)
        form = {"csrf_token": token, "username": "mh.registrar", "password": password}
        return await console.post(SIGN_IN, form)

    for _ in range(4):  # four wrong passwords already: one check is left before the lock
        assert (await attempt(WRONG)).status == 401
    answers = await asyncio.gather(
        *(attempt(WRONG) for _ in range(8)), attempt(PASSWORD, delay=0.005)
    )
    # The guesses sent first took the one check that was left; the right password, sent a
    # moment later, meets the lock they set and is refused like any other.
    assert answers[-1].status == 429, [a.status for a in answers]
    assert (await CouncilOfficer.get(username="mh.registrar")).locked_until is not None
    assert await OfficerSession.all().count() == 0
    statuses = sorted(a.status for a in answers[:-1])
    assert statuses.count(401) == 0, statuses  # no guess was checked past the fifth
