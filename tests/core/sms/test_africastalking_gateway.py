"""Replies through Africa's Talking: the adapter against a loopback fake of AT's SMS API,
chosen by `AROGYA_SMS_GATEWAY=africastalking` like Twilio's, behind the same port."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from core.sms.adapters import OUTBOUND_ADAPTERS
from core.sms.africastalking import AfricasTalkingGateway
from core.sms.gateways import GatewayError
from testing.fakes.africastalking_api import AfricasTalkingFake
from tests.conftest import make_settings

USER = "arogya"
KEY = "atsk_test_key_0123456789"


@pytest.fixture
async def at() -> AsyncIterator[AfricasTalkingFake]:
    fake = AfricasTalkingFake(USER, KEY)
    await fake.start()
    yield fake
    await fake.close()


async def test_a_reply_is_sent_through_africas_talking(at: AfricasTalkingFake) -> None:
    settings = make_settings(
        sms_gateway="africastalking",
        africastalking_username=USER,
        africastalking_api_key=KEY,
        africastalking_sender="AROGYA",
        africastalking_api_base=at.url,
    )
    gateway = OUTBOUND_ADAPTERS["africastalking"](settings)
    try:
        await gateway.deliver("out-1", "+919876543210", "आपका OTP 123456 है", "tmpl-1")
    finally:
        await gateway.close()
    [sent] = at.messages
    assert (sent["to"], sent["message"], sent["from"], sent["username"]) == (
        "+919876543210",
        "आपका OTP 123456 है",
        "AROGYA",
        USER,
    )


async def test_refusals_are_permanent_and_a_low_balance_is_not(at: AfricasTalkingFake) -> None:
    def gateway(key: str = KEY) -> AfricasTalkingGateway:
        return AfricasTalkingGateway(username=USER, api_key=key, api_base=at.url)

    for adapter, to, codes, permanent in [
        (gateway("wrong"), "+919876543210", [], True),  # HTTP 401
        (gateway(), "98765 43210", [], True),  # recipient 403 InvalidPhoneNumber
        (gateway(), "+919876543210", [406], True),  # blacklisted
        (gateway(), "+919876543210", [405], False),  # insufficient balance: top up, retry
    ]:
        at.recipient_codes = list(codes)
        try:
            with pytest.raises(GatewayError) as refused:
                await adapter.deliver("out-2", to, "Hi", "t")
            assert refused.value.permanent is permanent, refused.value
        finally:
            await adapter.close()
    assert at.messages == []
