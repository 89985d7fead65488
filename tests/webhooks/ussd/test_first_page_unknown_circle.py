"""A first-time caller whose gateway sends no or an unknown `networkCode` starts on a page a
Hindi reader can read ("Language / भाषा"), one page within the UCS-2 budget; choosing Hindi
gives the Hindi main menu."""

from __future__ import annotations

import pytest

from core.sms.encoding import Encoding, encoding_of, length_in_units
from tests.conftest import GATEWAY_HEADERS
from tests.webhooks.phones import Client


@pytest.mark.parametrize("network", [None, "99999"])
async def test_an_unknown_circle_is_asked_its_language_first(
    client: Client, network: str | None
) -> None:
    form = {"sessionId": "U1", "serviceCode": "*384*2222#", "phoneNumber": "+919812345678"}
    if network is not None:
        form["networkCode"] = network
    first = await (
        await client.post("/ussd", data={**form, "text": ""}, headers=GATEWAY_HEADERS)
    ).text()
    assert first.startswith("CON Language / भाषा"), first
    page = first[4:]
    assert encoding_of(page) is Encoding.UCS2
    assert length_in_units(page, Encoding.UCS2) <= 80
    hindi = await (
        await client.post("/ussd", data={**form, "text": "2"}, headers=GATEWAY_HEADERS)
    ).text()
    assert hindi.startswith("CON भाषा: हिंदी"), hindi
