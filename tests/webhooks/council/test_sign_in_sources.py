"""Council sign-in, tried from several client addresses over real HTTP (issue 15, item 4).

What broke: an outsider who knew an officer's username locked them out with five wrong
passwords, and could do so again every 15 minutes for ever; and the lockout told anyone which
usernames exist (a real account locked after five failures, a made-up one never did).
"""

from __future__ import annotations

import asyncio
import re

from core.professionals.models import OfficerSession
from testing.professionals import PASSWORD
from tests.core.professionals.helpers import officer
from tests.webhooks.council.helpers import Console
from tests.webhooks.council.sources import browser

WRONG = "not-the-password-1"
#: What differs between two answers for reasons that are not the account: the form's token
#: and the username echoed back into the form.
NOISE = re.compile(r'name="csrf_token" value="[^"]+"|name="username"[^>]*value="[^"]*"')


async def test_one_address_cannot_lock_an_officer_out(console: Console) -> None:
    await officer(console.wiring)
    async with browser(console, "127.0.0.2") as outsider:
        statuses = [(await outsider.sign_in("mh.registrar", WRONG))[0] for _ in range(12)]
        assert statuses == [401, 401] + [429] * 10  # throttled before the account's lock
        status, page = await outsider.sign_in("mh.registrar", PASSWORD)
        assert status == 429  # the address is throttled, whatever it sends
        assert "Please try again in 15 minutes" in page
    async with browser(console, "127.0.0.3") as officer_browser:
        assert (await officer_browser.sign_in("mh.registrar", PASSWORD))[0] == 303
    assert await OfficerSession.all().count() == 1


async def test_a_burst_from_one_address_gets_two_passwords_checked(console: Console) -> None:
    await officer(console.wiring)
    async with browser(console, "127.0.0.2") as outsider:
        token = await outsider.token()
        answers = await asyncio.gather(
            *(outsider.post(token, "mh.registrar", WRONG) for _ in range(10)),
        )
    assert sorted(status for status, _ in answers) == [401, 401] + [429] * 8
    async with browser(console, "127.0.0.3") as officer_browser:
        assert (await officer_browser.sign_in("mh.registrar", PASSWORD))[0] == 303


async def test_a_made_up_username_answers_exactly_like_a_real_one(console: Console) -> None:
    await officer(console.wiring)

    async def campaign(username: str, network: str) -> list[tuple[int, str]]:
        """Six wrong passwords from three addresses, then the real officer's password."""
        answers = []
        for n in (1, 1, 2, 2, 3, 3, 4):
            async with browser(console, f"{network}.{n}") as guesser:
                password = PASSWORD if n == 4 else WRONG
                status, page = await guesser.sign_in(username, password)
                answers.append((status, NOISE.sub("", page)))
        return answers

    real = await campaign("mh.registrar", "127.0.3")
    made_up = await campaign("mh.nobody", "127.0.4")
    assert [status for status, _ in real] == [401, 401, 401, 401, 429, 429, 429]
    assert made_up == real  # same statuses, same pages, same lock


async def test_a_throttled_address_is_free_again_after_the_window(console: Console) -> None:
    await officer(console.wiring)
    async with browser(console, "127.0.0.2") as guesser:
        for _ in range(3):
            await guesser.sign_in("mh.other", WRONG)
        assert (await guesser.sign_in("mh.registrar", PASSWORD))[0] == 429
        console.wiring.clock.advance(minutes=15)
        assert (await guesser.sign_in("mh.registrar", PASSWORD))[0] == 303
