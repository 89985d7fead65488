"""The HTTP gateway against a real loopback aiohttp server speaking the aggregator's wire format."""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from core.clock import FrozenClock
from core.settings import Settings
from core.sms.gateways import GatewayError, HttpGateway
from core.sms.models import SmsOutbox, SmsStatus
from core.sms.outbox import SmsService
from tests.conftest import make_settings

TOKEN = "gw-token-123"
TO = "+919876543210"


@dataclass
class FakeAggregator:
    """Accepts well-formed, authorised POSTs; answers `fail_first` calls with `fail_status`."""

    fail_first: int = 0
    fail_status: int = 503
    delay: float = 0.0
    calls: int = 0
    accepted: list[dict[str, Any]] = field(default_factory=list)

    async def handle(self, request: web.Request) -> web.Response:
        self.calls += 1
        if request.headers.get("Authorization") != f"Bearer {TOKEN}":
            return web.json_response({"error": "unauthorised"}, status=401)
        body = await request.json()
        if set(body) != {"message_id", "to", "text", "template_id"} or not all(
            isinstance(value, str) for value in body.values()
        ):
            return web.json_response({"error": "bad request"}, status=400)
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.calls <= self.fail_first:
            return web.json_response({"error": "busy"}, status=self.fail_status)
        self.accepted.append(body)
        return web.json_response({"status": "queued"}, status=202)


@pytest.fixture
def aggregator() -> FakeAggregator:
    return FakeAggregator()


@pytest.fixture
async def server(aggregator: FakeAggregator) -> AsyncIterator[TestServer]:
    app = web.Application()
    app.router.add_post("/sms", aggregator.handle)
    test_server = TestServer(app, host="127.0.0.1")
    await test_server.start_server()
    try:
        yield test_server
    finally:
        await test_server.close()


def gateway_settings(url: str, token: str = TOKEN) -> Settings:
    return make_settings(sms_gateway="http", sms_gateway_url=url, sms_gateway_token=token)


@pytest.fixture
async def gateway(server: TestServer) -> AsyncIterator[HttpGateway]:
    settings = gateway_settings(str(server.make_url("/sms")))
    # generous: a loaded CI machine must not turn an answer into a timeout (the timeout itself
    # is tested on its own gateway below)
    async with HttpGateway(settings, timeout=10.0) as http_gateway:
        yield http_gateway


async def test_a_2xx_means_accepted(gateway: HttpGateway, aggregator: FakeAggregator) -> None:
    await gateway.deliver("m-1", TO, "नमस्ते 123456", "1107176000000000101")
    assert aggregator.accepted == [
        {"message_id": "m-1", "to": TO, "text": "नमस्ते 123456", "template_id": "1107176000000000101"}
    ]


async def test_a_wrong_token_is_a_permanent_error(server: TestServer) -> None:
    async with HttpGateway(gateway_settings(str(server.make_url("/sms")), "wrong")) as gateway:
        with pytest.raises(GatewayError) as refused:
            await gateway.deliver("m-1", TO, "hello", "1")
    assert (refused.value.reason, refused.value.permanent) == ("http 401", True)


@pytest.mark.parametrize(("status", "permanent"), [(500, False), (503, False), (429, False)])
async def test_server_trouble_is_worth_retrying(
    gateway: HttpGateway, aggregator: FakeAggregator, status: int, permanent: bool
) -> None:
    aggregator.fail_first, aggregator.fail_status = 1, status
    with pytest.raises(GatewayError) as refused:
        await gateway.deliver("m-1", TO, "hello", "1")
    assert (refused.value.reason, refused.value.permanent) == (f"http {status}", permanent)


def test_the_gateway_needs_a_url_and_a_token() -> None:
    with pytest.raises(ValueError, match="SMS_GATEWAY_URL"):
        HttpGateway(make_settings(sms_gateway="http", sms_gateway_url="http://127.0.0.1:1/"))


async def test_a_slow_gateway_times_out(server: TestServer, aggregator: FakeAggregator) -> None:
    aggregator.delay = 2.0
    settings = gateway_settings(str(server.make_url("/sms")))
    async with HttpGateway(settings, timeout=0.3) as gateway:
        with pytest.raises(GatewayError, match="timeout"):
            await gateway.deliver("m-1", TO, "hello", "1")


async def test_a_closed_port_is_a_connection_error(unused_tcp_port: int) -> None:
    async with HttpGateway(gateway_settings(f"http://127.0.0.1:{unused_tcp_port}/sms")) as gateway:
        with pytest.raises(GatewayError, match="connection"):
            await gateway.deliver("m-1", TO, "hello", "1")


async def test_the_outbox_retries_through_an_outage_and_sends_once(
    db: str,
    settings: Settings,
    clock: FrozenClock,
    rng: random.Random,
    gateway: HttpGateway,
    aggregator: FakeAggregator,
) -> None:
    aggregator.fail_first = 3
    sms = SmsService(settings, clock, gateway, rng)
    outbox_id = await sms.send(TO, "sms.otp", {"otp": "482913", "minutes": 10}, "hi")

    for _ in range(5):
        clock.advance(settings.sms_retry_max_seconds)
        await sms.deliver_due()

    row = await SmsOutbox.get(id=outbox_id)
    assert (row.status, row.attempts, aggregator.calls) == (SmsStatus.SENT, 4, 4)
    [accepted] = aggregator.accepted
    assert accepted["message_id"] == outbox_id
    assert "482913" in accepted["text"]
    assert "482913" not in (row.last_error or "")
