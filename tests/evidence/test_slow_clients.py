"""One client cannot make `arogya serve` unreachable: a real server process, many slow sockets.

What broke: no header, body or idle timeouts and no per-address cap, so slow connections from
one address used up the file descriptors and /healthz timed out. Here 150 sockets from
127.0.0.1 each send half a request head and stop (a slowloris), with a cap of 20 per address
and a 2 s head deadline; another loopback address (127.0.0.2) must still be answered at once,
every slow socket must be closed by the server within a bound, and the refusals must be logged
at a bounded rate. Counts and times are small on purpose (2 shared cores).
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import aiohttp

from testing.services import ArogyaProcess
from tests.evidence.test_fail_closed import bare_env

SLOW = 150
PER_ADDRESS = 20
HEAD_SECONDS = 2.0
HALF_A_HEAD = b"POST /ussd HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: applic"


async def slow_socket(port: int) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(HALF_A_HEAD)
    await writer.drain()
    return reader, writer


async def slow_body(port: int) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    """A whole head promising 100 bytes of body, then 10 of them, from 127.0.0.3."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port, local_addr=("127.0.0.3", 0))
    writer.write(
        b"POST /ussd HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\n\r\nsessionId="
    )
    await writer.drain()
    return reader, writer


async def closed_by_server(reader: asyncio.StreamReader, within: float) -> bool:
    """True when the server closes (EOF or reset) within `within` seconds."""
    try:
        async with asyncio.timeout(within):
            while await reader.read(1024):
                pass
    except TimeoutError:
        return False
    except ConnectionError:
        return True
    return True


async def test_slow_sockets_from_one_address_are_capped_and_cut_off(tmp_path: Path) -> None:
    env = bare_env(
        tmp_path,
        AROGYA_HTTP_HEADER_TIMEOUT_SECONDS=str(HEAD_SECONDS),
        AROGYA_HTTP_CONNECTIONS_PER_ADDRESS=str(PER_ADDRESS),
        AROGYA_HTTP_BODY_TIMEOUT_SECONDS=str(HEAD_SECONDS),
    )
    server = ArogyaProcess(env, log_dir=tmp_path)
    await server.start()
    sockets: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []
    try:
        sockets = [await slow_socket(server.port) for _ in range(SLOW)]
        sockets += [await slow_body(server.port) for _ in range(3)]
        other = aiohttp.TCPConnector(local_addr=("127.0.0.2", 0))
        async with aiohttp.ClientSession(connector=other) as http:
            started = time.monotonic()
            async with http.get(f"{server.url}/healthz") as answer:
                assert answer.status == 200
            assert time.monotonic() - started < 2.0
        started = time.monotonic()
        readers = [reader for reader, _ in sockets]
        closed = await asyncio.gather(
            *(closed_by_server(reader, HEAD_SECONDS + 5) for reader in readers)
        )
        took = time.monotonic() - started
        assert all(closed), f"{closed.count(False)} of {len(readers)} slow sockets still open"
        assert took < HEAD_SECONDS + 5
    finally:
        for _, writer in sockets:
            writer.close()
        await server.stop()
    log = server.log_text()
    assert 1 <= log.count("per-address connection cap") <= 2, log[-2000:]
    assert 1 <= log.count("request head too slow") <= 2, log[-2000:]
    assert 1 <= log.count("request body too slow") <= 2, log[-2000:]
    assert "Too many open files" not in log
