"""The HTTP server's own defences against one slow or greedy client.

What broke: aiohttp waits for a request head and a body as long as the client likes, so 19,456
slow connections from one address used up the file descriptors, `/healthz` and `/ussd` timed
out, and every refused accept() logged "Too many open files" (57 MB in a minute). Here:

- a connection must deliver a complete request head within `header_seconds`, and a request's
  body must have fully arrived `body_seconds` after its head, or the connection is closed;
- an idle keep-alive connection is closed after `keepalive_seconds` (aiohttp's own timer);
- one client address holds at most `per_address` connections, and the server at most
  `max_connections` (kept below the process's file limit), further ones are closed at once;
- each kind of refusal is logged at most once per `LOG_EVERY_SECONDS`, with how many there were.

Why in the server and not only in a reverse proxy: a deployment should still put one in front
(docs/deploy.md), but the embedded server must not fall over to a single laptop on the network.
"""

from __future__ import annotations

import asyncio
import logging
import resource
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from aiohttp import web
from aiohttp.web_protocol import RequestHandler

log = logging.getLogger(__name__)

LOG_EVERY_SECONDS = 10.0


def default_max_connections() -> int:
    """Leave room below the file limit for the database, Redis and log files."""
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    return max(64, min(10_000, soft - 128)) if soft > 0 else 10_000


@dataclass
class EdgeGuard:
    header_seconds: float = 10.0
    body_seconds: float = 60.0
    keepalive_seconds: float = 15.0
    per_address: int = 64
    max_connections: int = field(default_factory=default_max_connections)
    open_by_address: Counter[str] = field(default_factory=Counter)
    refused: Counter[str] = field(default_factory=Counter)
    _last_log: dict[str, float] = field(default_factory=dict)

    @property
    def open_connections(self) -> int:
        return sum(self.open_by_address.values())

    def admit(self, address: str) -> bool:
        if self.open_connections >= self.max_connections:
            self.refuse("server connection cap", address)
            return False
        if self.open_by_address[address] >= self.per_address:
            self.refuse("per-address connection cap", address)
            return False
        self.open_by_address[address] += 1
        return True

    def release(self, address: str) -> None:
        self.open_by_address[address] -= 1
        if self.open_by_address[address] <= 0:
            del self.open_by_address[address]

    def refuse(self, reason: str, address: str) -> None:
        """Count a refusal; log it at most once per LOG_EVERY_SECONDS per reason."""
        self.refused[reason] += 1
        now = time.monotonic()
        if now - self._last_log.get(reason, -LOG_EVERY_SECONDS) < LOG_EVERY_SECONDS:
            return
        self._last_log[reason] = now
        log.warning(
            "closed a connection from %s: %s (%d refusals of this kind so far)",
            address,
            reason,
            self.refused[reason],
        )


class GuardedHandler(RequestHandler):
    """aiohttp's request handler with the guard's caps and deadlines around it."""

    def __init__(self, manager: web.Server, guard: EdgeGuard, **kwargs: object) -> None:
        super().__init__(manager, **kwargs)  # type: ignore[arg-type]
        self._guard = guard
        self._address: str | None = None
        self._deadline: asyncio.TimerHandle | None = None
        #: "head" until the first request head is in, then "body" until its deadline passed.
        self._awaiting: str | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        peer = transport.get_extra_info("peername")
        address = str(peer[0]) if peer else "unknown"
        if not self._guard.admit(address):
            transport.abort()  # type: ignore[attr-defined]
            return
        self._address = address
        super().connection_made(transport)
        self._awaiting = "head"
        self._arm(self._guard.header_seconds, self._head_late)

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self._awaiting == "head" and (self._messages or self._current_request is not None):
            self._awaiting = "body"
            self._arm(self._guard.body_seconds, self._body_late)

    def connection_lost(self, exc: BaseException | None) -> None:
        if self._address is None:
            return  # refused at connection_made: aiohttp never saw it
        self._disarm()
        self._guard.release(self._address)
        self._address = None
        super().connection_lost(exc)

    def _arm(self, seconds: float, callback: Callable[[], None]) -> None:
        self._disarm()
        self._deadline = asyncio.get_running_loop().call_later(seconds, callback)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _head_late(self) -> None:
        self._deadline = None
        if self._messages or self._current_request is not None:
            return  # a head arrived (data_received missed it): the handler has it now
        self._guard.refuse("request head too slow", self._address or "unknown")
        self._close_now()

    def _body_late(self) -> None:
        self._deadline = None
        self._awaiting = None
        request = self._current_request
        if request is None or request.content.is_eof():
            return
        self._guard.refuse("request body too slow", self._address or "unknown")
        self._close_now()

    def _close_now(self) -> None:
        """Close, cancelling the handler first: a handler cut off mid-body then ends quietly
        (cancelled, as for a client that went away) instead of logging a traceback per
        connection, which would be the unbounded log this module exists to prevent."""
        if self._task_handler is not None:
            self._task_handler.cancel()
        if self.transport is not None:
            self.transport.close()


class GuardedSite(web.TCPSite):
    """`web.TCPSite` whose connections are handled by `GuardedHandler`."""

    def __init__(
        self,
        runner: web.AppRunner,
        host: str,
        port: int,
        guard: EdgeGuard,
        *,
        reuse_port: bool = False,
    ) -> None:
        super().__init__(runner, host, port, reuse_port=reuse_port or None)
        self.guard = guard

    async def start(self) -> None:
        await web.BaseSite.start(self)
        loop = asyncio.get_running_loop()
        server = self._runner.server
        assert server is not None
        kwargs = dict(server._kwargs)  # what AppRunner was given (keepalive_timeout, ...)

        def handler() -> GuardedHandler:
            return GuardedHandler(server, self.guard, loop=loop, **kwargs)

        self._server = await loop.create_server(
            handler,
            self._host,
            self._port,
            backlog=self._backlog,
            reuse_address=self._reuse_address,
            reuse_port=self._reuse_port,
        )
