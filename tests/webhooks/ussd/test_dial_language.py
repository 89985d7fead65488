"""The caller's language from the first page of a dial, over the real /ussd endpoint.

Why: a Hindi reader must not meet an English menu and hunt for "Language" (review D5). A known
phone gets its ABHA's stored language on every dial, even after the conversation state is gone
(a restart with in-process state, or the hour's TTL); a first-time caller gets their telecom
circle's language; a switch made on USSD is stored with the ABHA for the next dial.
"""

from __future__ import annotations

from core.clock import FrozenClock
from core.state import StateStore
from flows.types import ConversationKey
from testing.healthid import enrol_with_mobile, profile
from tests.running import Running
from tests.webhooks.api.conftest import health_id
from tests.webhooks.journey_phones import PHONE
from tests.webhooks.phones import ENGLISH_CIRCLE, HINDI_CIRCLE, UssdPhone
from webhooks.circles import circle, language_of_network

HINDI_MENU = "आरोग्य"
ENGLISH_MENU = "CON Arogya"


async def forget(state: StateStore) -> None:
    """What a restart with the in-process store does: the conversation is gone."""
    await state.delete(ConversationKey("ussd", PHONE).state_key())


def test_circles_of_network_codes() -> None:
    assert circle("40410") == "DL"
    assert language_of_network("40410") == "hi"
    assert language_of_network("405871") == "hi"  # Jio UP East
    assert language_of_network("40445") == "en"  # Airtel Karnataka
    assert language_of_network("") is None
    assert language_of_network("99999") is None


async def test_a_first_time_caller_on_a_hindi_circle_gets_hindi(
    running: Running, clock: FrozenClock
) -> None:
    phone = UssdPhone(running.client, clock, PHONE, network=HINDI_CIRCLE)
    (page,) = await phone.dial()
    assert HINDI_MENU in page, page


async def test_a_first_time_caller_elsewhere_gets_english(
    running: Running, clock: FrozenClock
) -> None:
    phone = UssdPhone(running.client, clock, PHONE, network=ENGLISH_CIRCLE)
    (page,) = await phone.dial()
    assert page.startswith(ENGLISH_MENU), page


async def test_a_hindi_holder_gets_hindi_after_a_restart_from_any_circle(
    running: Running, clock: FrozenClock, state: StateStore
) -> None:
    await enrol_with_mobile(health_id(running.services), PHONE, profile(), lang="hi")
    phone = UssdPhone(running.client, clock, PHONE, network=ENGLISH_CIRCLE)
    (page,) = await phone.dial()
    assert HINDI_MENU in page, page
    await forget(state)
    (page,) = await phone.dial()
    assert HINDI_MENU in page, page


async def test_a_switch_on_ussd_is_stored_for_the_next_dial(
    running: Running, clock: FrozenClock, state: StateStore
) -> None:
    await enrol_with_mobile(health_id(running.services), PHONE, profile(), lang="en")
    phone = UssdPhone(running.client, clock, PHONE, network=HINDI_CIRCLE)
    (page,) = await phone.dial()
    assert page.startswith(ENGLISH_MENU), page  # the stored language wins over the circle
    await phone.send("HINDI")
    (person,) = await running.services.healthid.by_mobile(PHONE)
    assert person.language == "hi"
    await forget(state)
    (page,) = await phone.dial()
    assert HINDI_MENU in page, page
    await phone.send("ENGLISH")
    await forget(state)
    (page,) = await phone.dial()
    assert page.startswith(ENGLISH_MENU), page
