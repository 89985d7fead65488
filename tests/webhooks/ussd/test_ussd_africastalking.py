"""Africa's Talking's documented USSD callbacks beyond an ordinary hop: a dial-string shortcut
(`*384*14*1#` sends `text="1"` on its first request) and the end-of-session notification."""

from __future__ import annotations

import logging

import pytest

from tests.webhooks.phones import ENGLISH_CIRCLE, Client

PHONE = "+919876543210"


def hop(text: str, session: str = "ATUid_1") -> dict[str, str]:
    return {
        "sessionId": session,
        "serviceCode": "*384*14#",
        "phoneNumber": PHONE,
        "networkCode": ENGLISH_CIRCLE,
        "text": text,
    }


async def test_a_dial_string_is_served_as_the_inputs_it_carries(client: Client) -> None:
    shortcut = await client.post("/ussd", data=hop("1"))
    assert await shortcut.text() == "CON Your name?"  # the menu's choice 1, taken
    following = await client.post("/ussd", data=hop("1*Asha"))
    assert await following.text() == "CON Year of birth?"
    two = await client.post("/ussd", data=hop("1*1990", session="ATUid_2"))
    assert (await two.text()).startswith("CON ")


async def test_the_end_of_session_notification_is_not_an_input(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    await client.post("/ussd", data=hop(""))
    await client.post("/ussd", data=hop("1"))
    ended = {
        "sessionId": "ATUid_1",
        "serviceCode": "*384*14#",
        "networkCode": ENGLISH_CIRCLE,
        "phoneNumber": PHONE,
        "status": "Failed",
        "cost": "KES 0.0000",
        "durationInMillis": "15000",
        "hopsCount": "2",
        "input": "1",
        "lastAppResponse": "CON Your name?",
        "errorMessage": "USER_TIMEOUT",
        "date": "2026-12-07 22:00:00.000",
    }
    with caplog.at_level(logging.INFO, logger="webhooks.at_wire"):
        answer = await client.post("/ussd", data=ended)
    assert (answer.status, await answer.text()) == (200, "")
    assert "USER_TIMEOUT" in caplog.text
    # the conversation did not take it as an (empty) answer: it still waits for the name
    again = await client.post("/ussd", data=hop("1"))
    assert await again.text() == "CON Your name?"
