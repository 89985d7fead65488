"""Fail closed, through the real `arogya serve` process: what it refuses to start with, what a
channel without its credential answers, and that the quick start still works with nothing set.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Mapping
from pathlib import Path

import aiohttp

from testing.services import ROOT, ArogyaProcess, free_port

USSD_FORM = {
    "sessionId": "S1",
    "serviceCode": "*384*2222#",
    "phoneNumber": "+919876543210",
    "text": "",
}


def bare_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The environment with no Arogya setting at all but a database of the test's own."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("AROGYA_") and k not in {"DATABASE_URL", "REDIS_URL"}
    }
    env["DATABASE_URL"] = f"sqlite://{tmp_path / 'arogya.sqlite3'}"
    env.update(extra)
    return env


async def refused(env: Mapping[str, str], host: str) -> tuple[int, str]:
    """Run `arogya serve` expecting it to refuse: its exit status and stderr.

    "Started" means the port answers, not "still running after N seconds": on a loaded CI
    machine the imports alone can take longer than any fixed wait, and a slow refusal is
    still a refusal. Two minutes bound a process that neither listens nor exits.
    """
    port = free_port()
    args = [sys.executable, "-m", "arogya", "serve", "--host", host, "--port", str(port)]
    process = await asyncio.create_subprocess_exec(
        *args,
        cwd=ROOT,
        env=dict(env),
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    outcome = asyncio.ensure_future(process.communicate())
    try:
        async with asyncio.timeout(120):
            while not outcome.done():
                if await _listening(port):
                    raise AssertionError("arogya serve started where it had to refuse")
                await asyncio.wait({outcome}, timeout=0.25)
    except (AssertionError, TimeoutError):
        process.kill()
        await process.wait()
        raise
    _, err = outcome.result()
    assert process.returncode is not None
    return process.returncode, err.decode(errors="replace")


async def _listening(port: int) -> bool:
    """Whether something accepts connections on loopback `port` (the server came up)."""
    try:
        _, writer = await asyncio.open_connection("127.0.0.1", port)
    except OSError:
        return False
    writer.close()
    await writer.wait_closed()
    return True


async def test_serve_refuses_a_network_address_on_development_defaults(tmp_path: Path) -> None:
    status, err = await refused(bare_env(tmp_path), "0.0.0.0")  # noqa: S104 (the point)
    assert status != 0
    for setting in ("AROGYA_SECRET_KEY", "AROGYA_USSD_SECRET", "AROGYA_TWILIO_AUTH_TOKEN"):
        assert setting in err, err


async def test_serve_refuses_a_short_admin_token_even_on_loopback(tmp_path: Path) -> None:
    env = bare_env(tmp_path, AROGYA_ADMIN_TOKEN="short-admin-token")
    status, err = await refused(env, "127.0.0.1")
    assert status != 0
    assert "AROGYA_ADMIN_TOKEN is 17 characters" in err


async def test_a_channel_without_its_credential_is_closed_and_says_so_once(
    tmp_path: Path,
) -> None:
    env = bare_env(tmp_path, AROGYA_SECRET_KEY="a-real-secret-key-0123456789abcdef")
    server = ArogyaProcess(env, log_dir=tmp_path)
    await server.start()
    try:
        async with aiohttp.ClientSession() as http:
            for _ in range(20):
                async with http.post(f"{server.url}/ussd", data=USSD_FORM) as answer:
                    assert answer.status == 403
                    assert (await answer.json())["error"]["code"] == "ussd.closed"
            twilio = {"MessageSid": "SM1", "From": "+919876543210", "Body": "1234"}
            async with http.post(f"{server.url}/sms/twilio", data=twilio) as answer:
                assert answer.status == 403
                assert (await answer.json())["error"]["code"] == "sms.twilio_closed"
    finally:
        await server.stop()
    log = server.log_text()
    assert log.count("/ussd refused a request: it is closed until AROGYA_USSD_SECRET") == 1
    assert "AROGYA_TWILIO_AUTH_TOKEN" in log


async def test_the_quick_start_works_with_nothing_set(tmp_path: Path) -> None:
    """`./run serve`, then the README's `arogya chat --channel ussd --url http://127.0.0.1:...`."""
    server = ArogyaProcess(bare_env(tmp_path), log_dir=tmp_path)
    await server.start()
    try:
        args = [
            sys.executable,
            "-m",
            "arogya",
            "chat",
            "--channel",
            "ussd",
            "--phone",
            "+919876543210",
            "--url",
            server.url,
        ]
        chat = await asyncio.create_subprocess_exec(
            *args,
            cwd=ROOT,
            env=bare_env(tmp_path),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        out, _ = await asyncio.wait_for(chat.communicate(b"quit\n"), 60)
    finally:
        await server.stop()
    assert chat.returncode == 0, out.decode()
    assert "USSD · CON" in out.decode(), out.decode()  # the main menu, not a refusal
