"""Replies go back through Twilio: the Twilio adapter against a loopback fake of Twilio's REST
API, and the delivery reports that fake posts (signed by the twilio library) accepted by our
`POST /sms/twilio/status`."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from core.sms.adapters import OUTBOUND_ADAPTERS
from core.sms.gateways import GatewayError
from core.sms.twilio import TwilioGateway
from testing.fakes.twilio_api import TwilioApiFake
from tests.conftest import make_settings
from webhooks.errors import json_errors
from webhooks.keys import SETTINGS
from webhooks.twilio_status import setup_twilio_status

SID = "AC" + "0" * 32
TOKEN = "twilio-auth-token-for-tests"
SENDER = "+15005550006"


@pytest.fixture
async def twilio() -> AsyncIterator[TwilioApiFake]:
    fake = TwilioApiFake(SID, TOKEN)
    await fake.start()
    yield fake
    await fake.close()


@pytest.fixture
async def arogya() -> AsyncIterator[str]:
    """Our server's status-callback route, with the Twilio auth token set: its base URL."""
    app = web.Application(middlewares=[json_errors()])
    app[SETTINGS] = make_settings(twilio_auth_token=TOKEN)
    setup_twilio_status(app)
    server = TestServer(app)
    await server.start_server()
    yield str(server.make_url("")).rstrip("/")
    await server.close()


async def test_a_reply_is_sent_through_twilio_and_its_delivery_reported(
    twilio: TwilioApiFake, arogya: str
) -> None:
    settings = make_settings(
        sms_gateway="twilio",
        twilio_account_sid=SID,
        twilio_auth_token=TOKEN,
        twilio_sender=SENDER,
        twilio_api_base=twilio.url,
        public_url=f"{arogya}/",
    )
    gateway = OUTBOUND_ADAPTERS["twilio"](settings)
    try:
        await gateway.deliver("out-1", "+919876543210", "Your OTP is 123456", "tmpl-1")
    finally:
        await gateway.close()
    [sent] = twilio.messages
    assert (sent["To"], sent["From"], sent["Body"]) == (
        "+919876543210",
        SENDER,
        "Your OTP is 123456",
    )
    assert sent["StatusCallback"] == f"{arogya}/sms/twilio/status?id=out-1"
    await twilio.settled()
    assert twilio.callbacks == [("sent", 204), ("delivered", 204)]


async def test_twilio_refusals_are_permanent_and_outages_are_not(
    twilio: TwilioApiFake,
) -> None:
    def gateway(token: str = TOKEN, sender: str = SENDER) -> TwilioGateway:
        return TwilioGateway(account_sid=SID, auth_token=token, sender=sender, api_base=twilio.url)

    cases = [
        (gateway(token="wrong"), "+919876543210", True, "401 code 20003"),
        (gateway(), "98765 43210", True, "400 code 21211"),
        (gateway(sender="MG" + "1" * 32), "+919876543210", None, ""),
    ]
    for adapter, to, permanent, reason in cases:
        try:
            if permanent is None:
                await adapter.deliver("out-2", to, "Hi", "t")
                assert twilio.messages[-1]["MessagingServiceSid"].startswith("MG")
                continue
            with pytest.raises(GatewayError) as refused:
                await adapter.deliver("out-2", to, "Hi", "t")
            assert refused.value.permanent is permanent
            assert reason in str(refused.value)
        finally:
            await adapter.close()
    twilio.fail_next = [503, 429]
    adapter = gateway()
    try:
        for _ in range(2):
            with pytest.raises(GatewayError) as later:
                await adapter.deliver("out-3", "+919876543210", "Hi", "t")
            assert later.value.permanent is False
        await adapter.deliver("out-3", "+919876543210", "Hi", "t")  # Twilio is back
    finally:
        await adapter.close()


async def test_an_unsigned_status_report_is_refused(arogya: str) -> None:
    import aiohttp

    async with aiohttp.ClientSession() as http:
        report = {"MessageSid": "SM1", "MessageStatus": "delivered"}
        async with http.post(f"{arogya}/sms/twilio/status?id=x", data=report) as answer:
            assert answer.status == 403
