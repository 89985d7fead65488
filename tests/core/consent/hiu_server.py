"""A HIU's callback endpoint on loopback: a real aiohttp server that keeps every POST.

It behaves like a careful HIU: it applies each event once (by `X-Arogya-Event-Id`), however
often it is delivered, and it can be told to answer the next deliveries with an error status
(a HIU that is down, or one that refuses).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer

from core.consent.callbacks import EVENT_HEADER, SIGNATURE_HEADER


@dataclass(frozen=True)
class Delivery:
    event_id: str
    signature: str
    raw: bytes

    @property
    def body(self) -> dict[str, Any]:
        return json.loads(self.raw)  # type: ignore[no-any-return]

    @property
    def status(self) -> str:
        return str(self.body["notification"]["status"])


@dataclass
class HiuServer:
    url: str = ""
    deliveries: list[Delivery] = field(default_factory=list)
    #: Statuses to answer the next deliveries with, in order (then 200).
    failures: list[int] = field(default_factory=list)
    #: Events applied, each once: event id -> status.
    applied: dict[str, str] = field(default_factory=dict)

    async def handle(self, request: web.Request) -> web.Response:
        headers = request.headers
        delivery = Delivery(
            headers.get(EVENT_HEADER, ""), headers.get(SIGNATURE_HEADER, ""), await request.read()
        )
        self.deliveries.append(delivery)
        if self.failures:
            return web.Response(status=self.failures.pop(0))
        self.applied.setdefault(delivery.event_id, delivery.status)
        return web.json_response({"ok": True})

    def statuses(self) -> list[str]:
        return [d.status for d in self.deliveries]


@asynccontextmanager
async def hiu_server() -> AsyncIterator[HiuServer]:
    hiu = HiuServer()
    app = web.Application()
    app.router.add_post("/abdm/callback", hiu.handle)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    hiu.url = str(server.make_url("/abdm/callback"))
    try:
        yield hiu
    finally:
        await server.close()
