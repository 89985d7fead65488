"""The README's `arogya chat --url` against `./run serve` with nothing set, both processes real:
the USSD chat shows the OTP SMS the server sends (review D1), the SMS chat gets its replies
(review D3), and the development-only `GET /dev/sms` does not exist on a real secret key.
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import aiohttp

from testing.services import ROOT, ArogyaProcess

PHONE = "+919876543210"


def bare_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """No Arogya setting at all (the quick start), but a database of the test's own."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("AROGYA_") and k not in {"DATABASE_URL", "REDIS_URL"}
    }
    env["DATABASE_URL"] = f"sqlite://{tmp_path / 'arogya.sqlite3'}"
    env.update(extra)
    return env


async def chat(tmp_path: Path, url: str, channel: str, typed: str) -> str:
    """`arogya chat --channel <channel> --url <url>` with `typed` on its stdin; its output."""
    args = [sys.executable, "-m", "arogya", "chat", "--channel", channel, "--phone", PHONE]
    process = await asyncio.create_subprocess_exec(
        *args,
        "--url",
        url,
        cwd=ROOT,
        env=bare_env(tmp_path),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await asyncio.wait_for(process.communicate(typed.encode()), 90)
    text = out.decode()
    assert process.returncode == 0, text
    return text


async def test_ussd_chat_over_url_shows_the_otp_sms(tmp_path: Path) -> None:
    server = ArogyaProcess(bare_env(tmp_path), log_dir=tmp_path)
    await server.start()
    try:
        # Create ABHA > Aadhaar > Yes > the embedded sandbox's Aadhaar: the OTP is sent.
        out = await chat(tmp_path, server.url, "ussd", "1\n1\n1\n999999990019\nquit\n")
    finally:
        await server.stop()
    assert "OTP sent" in out, out
    assert "┌─ SMS to your phone" in out, out
    assert "is your Arogya OTP for ABHA" in out, out
    assert out.count("is your Arogya OTP") == 1, out  # shown once, not at every later hop


async def test_sms_chat_over_url_prints_the_replies(tmp_path: Path) -> None:
    server = ArogyaProcess(bare_env(tmp_path), log_dir=tmp_path)
    await server.start()
    try:
        out = await chat(tmp_path, server.url, "sms", "1\nquit\n")
    finally:
        await server.stop()
    assert "HTTP 403" not in out, out
    assert out.count("┌─ SMS reply") == 2, out  # the first "ABHA" and the "1"


async def test_the_dev_sms_route_is_absent_on_a_real_secret_key(tmp_path: Path) -> None:
    env = bare_env(tmp_path, AROGYA_SECRET_KEY="a-real-secret-key-0123456789abcdef")
    server = ArogyaProcess(env, log_dir=tmp_path)
    await server.start()
    try:
        async with aiohttp.ClientSession() as http:
            params = {"phone": PHONE}
            async with http.get(f"{server.url}/dev/sms", params=params) as answer:
                assert answer.status == 404
    finally:
        await server.stop()


async def test_the_dev_sms_route_answers_on_the_development_key(tmp_path: Path) -> None:
    server = ArogyaProcess(bare_env(tmp_path), log_dir=tmp_path)
    await server.start()
    try:
        async with aiohttp.ClientSession() as http:
            async with http.get(f"{server.url}/dev/sms", params={"phone": PHONE}) as answer:
                assert answer.status == 200
                assert await answer.json() == {"phone": PHONE, "count": 0, "sms": []}
            async with http.get(f"{server.url}/dev/sms", params={"phone": "nope"}) as answer:
                assert answer.status == 400
    finally:
        await server.stop()
