"""A HIP's callback endpoint on loopback: a real aiohttp server that keeps every POST of an
`abha.deleted` notice, applies each event once (by `X-Arogya-Event-Id`), and can be told to
answer the next deliveries with an error status (a HIP that is down)."""

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
class Notice:
    event_id: str
    signature: str
    raw: bytes

    @property
    def body(self) -> dict[str, Any]:
        return json.loads(self.raw)  # type: ignore[no-any-return]


@dataclass
class HipServer:
    url: str = ""
    received: list[Notice] = field(default_factory=list)
    #: Statuses to answer the next deliveries with, in order (then 200).
    failures: list[int] = field(default_factory=list)
    #: Events applied, each once: event id -> body.
    applied: dict[str, dict[str, Any]] = field(default_factory=dict)

    async def handle(self, request: web.Request) -> web.Response:
        headers = request.headers
        notice = Notice(
            headers.get(EVENT_HEADER, ""), headers.get(SIGNATURE_HEADER, ""), await request.read()
        )
        self.received.append(notice)
        if self.failures:
            return web.Response(status=self.failures.pop(0))
        self.applied.setdefault(notice.event_id, notice.body)
        return web.json_response({"ok": True})


@asynccontextmanager
async def hip_server() -> AsyncIterator[HipServer]:
    hip = HipServer()
    app = web.Application()
    app.router.add_post("/abdm/hip", hip.handle)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    hip.url = str(server.make_url("/abdm/hip"))
    try:
        yield hip
    finally:
        await server.close()
