"""A burst of sign-ins at the console cannot beat the officer's lockout (real HTTP, loopback).

What broke: every sign-in in a burst read "not locked", so about 30 passwords were checked in a
window meant for 5, and a right one among them signed in although the burst locked the account.
The guesses come from several client addresses, as a real attack's would: one address alone is
throttled before it can reach the account's lock (tests/webhooks/council/test_sign_in_sources.py).
"""

from __future__ import annotations

import asyncio

from core.professionals.models import OfficerSession
from testing.professionals import PASSWORD
from tests.core.professionals.helpers import officer
from tests.webhooks.council.helpers import Console
from tests.webhooks.council.sources import browser

WRONG = "not-the-password-1"


async def test_a_lock_set_by_a_burst_holds_against_the_right_password(console: Console) -> None:
    await officer(console.wiring)
    for address in ("127.0.0.2", "127.0.0.2", "127.0.0.3", "127.0.0.3"):
        async with browser(console, address) as guesser:  # four wrong: one check is left
            assert (await guesser.sign_in("mh.registrar", WRONG))[0] == 401

    async def attempt(address: str, password: str, delay: float = 0.0) -> int:
        async with browser(console, address) as guesser:
            token = await guesser.token()
            await asyncio.sleep(delay)
            return (await guesser.post(token, "mh.registrar", password))[0]

    answers = await asyncio.gather(
        *(attempt(f"127.0.1.{n}", WRONG) for n in range(1, 9)),
        attempt("127.0.2.1", PASSWORD, delay=0.05),
    )
    # The guesses sent first took the one check that was left; the right password, sent a
    # moment later, meets the lock they set and is refused like any other.
    assert answers[-1] == 429, answers
    assert await OfficerSession.all().count() == 0
    statuses = sorted(answers[:-1])
    assert statuses.count(401) == 0, statuses  # no guess was checked past the fifth
