"""The keypad's navigation over the real /ussd endpoint: 0 back, 00 the main menu, everywhere.

Why: "0" was refused on list pages and first screens, and the only way back was typing the word
"back", which no page mentioned (review D7); the error said "from 1 to 1" (D8).
"""

from __future__ import annotations

from core.clock import FrozenClock
from tests.running import Running
from tests.webhooks.journey_phones import PHONE, Inbox
from tests.webhooks.phones import UssdPhone


async def test_zero_goes_back_and_double_zero_home_on_lists_and_prompts(
    running: Running, clock: FrozenClock
) -> None:
    phone = UssdPhone(running.client, clock, PHONE)
    inbox = Inbox(running.services, PHONE)
    await phone.dial()
    for text in ("1", "2"):
        await phone.send(text)
    for text in (await inbox.last_otp(), "Ravi Kumar", "1", "1988"):
        await phone.send(text)
    (districts,) = await phone.send("110025")
    assert districts.startswith("CON Your district:\n1. South"), districts
    (back,) = await phone.send("0")
    assert back == "CON Your 6-digit postal PIN code"
    (wrong,) = await phone.send("110025")
    (wrong,) = await phone.send("9")
    assert wrong.startswith("CON Press a number shown on the screen; 0 to go back.\n"), wrong
    (home,) = await phone.send("00")
    assert home.startswith("CON Arogya ABHA\n1. Create ABHA"), home
