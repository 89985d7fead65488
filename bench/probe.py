"""The per-hop probe: what one hop cost the server, in the hop's own response headers.

Why in the server: CPU read from `/proc` between requests cannot say which hop spent it once
hops overlap. The probe runs on a server the benchmark drives one hop at a time, with no
background workers (their polling would be counted too), so the process's CPU from a request's
start to its response is that hop's, and the statements logged meanwhile are its statements.
Each response carries `X-Bench-Cpu-Us` and `X-Bench-Statements` ("SELECT=3 INSERT=1"); the
client files each hop under its kind (state-only, DB, PIN). Only `bench.ussd_server --probe`
installs it.
"""

from __future__ import annotations

import time
from collections import Counter

from aiohttp import web
from aiohttp.typedefs import Handler

from testing.statements import StatementCounter

CPU_HEADER = "X-Bench-Cpu-Us"
STATEMENTS_HEADER = "X-Bench-Statements"


def install_probe(app: web.Application) -> None:
    counter = StatementCounter().__enter__()  # for the life of the process

    @web.middleware
    async def probe(request: web.Request, handler: Handler) -> web.StreamResponse:
        before = Counter(counter.counts)
        cpu = time.process_time_ns()
        response = await handler(request)
        spent = (time.process_time_ns() - cpu) // 1000
        ran = counter.counts - before
        response.headers[CPU_HEADER] = str(spent)
        response.headers[STATEMENTS_HEADER] = " ".join(f"{k}={v}" for k, v in sorted(ran.items()))
        return response

    app.middlewares.insert(0, probe)


def parse_statements(header: str) -> Counter[str]:
    found: Counter[str] = Counter()
    for item in header.split():
        kind, _, count = item.partition("=")
        found[kind] += int(count)
    return found
