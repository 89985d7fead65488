"""A partner's endpoint for Arogya's signed POSTs, on loopback: a real aiohttp server that keeps
every delivery as it came (event id, detached signature, raw body) for the test to verify.

One receiver for every kind of signed notice (a HIU's consent callbacks, a HIP's `abha.deleted`
notices): `core.consent.callbacks.post_signed` sends them all alike, so their receiving end is
alike too. It behaves like a careful partner: it applies each event once (by
`X-Arogya-Event-Id`) however often it is delivered, and it can be told to answer the next
deliveries with an error status (a partner that is down, or one that refuses).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from aiohttp import web
from aiohttp.test_utils import TestServer

from core.consent.callbacks import EVENT_HEADER, SIGNATURE_HEADER


@dataclass(frozen=True)
class Delivery:
    """One POST as received: verify `signature` against the JWKS over `raw`, the exact bytes."""

    event_id: str
    signature: str
    raw: bytes

    @property
    def body(self) -> dict[str, Any]:
        return json.loads(self.raw)  # type: ignore[no-any-return]


@dataclass
class SignedReceiver:
    url: str = ""
    received: list[Delivery] = field(default_factory=list)
    #: Statuses to answer the next deliveries with, in order (then 200).
    failures: list[int] = field(default_factory=list)
    #: Events applied, each once: event id -> body.
    applied: dict[str, dict[str, Any]] = field(default_factory=dict)

    async def handle(self, request: web.Request) -> web.Response:
        headers = request.headers
        delivery = Delivery(
            headers.get(EVENT_HEADER, ""), headers.get(SIGNATURE_HEADER, ""), await request.read()
        )
        self.received.append(delivery)
        if self.failures:
            return web.Response(status=self.failures.pop(0))
        self.applied.setdefault(delivery.event_id, delivery.body)
        return web.json_response({"ok": True})


Receiver = TypeVar("Receiver", bound=SignedReceiver)


@asynccontextmanager
async def serving(receiver: Receiver, path: str) -> AsyncIterator[Receiver]:
    """`receiver` listening on loopback at `path` (its `url` set) until the block ends."""
    app = web.Application()
    app.router.add_post(path, receiver.handle)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    receiver.url = str(server.make_url(path))
    try:
        yield receiver
    finally:
        await server.close()
