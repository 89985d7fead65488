"""Scale-out: two `arogya serve` processes on different ports sharing one database and Redis,
as N processes behind a load balancer (docs/deploy.md).

The claims: a process keeps nothing of a conversation between requests, so a USSD session whose
hops alternate between the two completes as on one; and a delivery and its duplicate arriving at
different processes (an SMS gateway's retry, Telegram's) have one effect, because the delivery's
lock and its remembered reply live in Redis.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from testing.services import ROOT, ArogyaProcess, RedisProcess
from tests.evidence.system import (
    READY,
    REGISTRATION,
    SMS_REGISTRATION,
    SmsGatewayFake,
    SmsPhone,
    UssdPhone,
    fill,
    server_env,
)

pytestmark = pytest.mark.evidence
TELEGRAM_SECRET = "evidence-telegram-secret"


@contextlib.asynccontextmanager
async def two_processes(
    env: dict[str, str], logs: Path
) -> AsyncIterator[tuple[ArogyaProcess, ArogyaProcess]]:
    first = ArogyaProcess(env, log_dir=logs)
    await first.start()  # migrates; the second finds nothing to do
    second = ArogyaProcess(env, log_dir=logs)
    try:
        await second.start()
        yield first, second
    finally:
        await second.stop()
        await first.stop()


async def test_a_ussd_session_alternating_between_two_processes_completes(
    gateway: SmsGatewayFake,
    redis: RedisProcess,
    database_url: str,
    http: aiohttp.ClientSession,
    tmp_path: Path,
) -> None:
    async with two_processes(server_env(gateway.url, database_url, redis.url), tmp_path) as (a, b):
        phone = UssdPhone(http, a.url, "+917600000001", "alternating")
        await phone.dial()
        for n, answer in enumerate(REGISTRATION):
            phone.base = (b if n % 2 == 0 else a).url
            otp = await gateway.otp(phone.phone) if answer == "{otp}" else None
            page = await phone.send(fill(answer, phone.phone, otp))
            assert "session has expired" not in page
        assert page.startswith("END ")
        assert READY in page
        sms = SmsPhone(http, a.url, "+917600000002")
        done: list[str] = []
        for n, answer in enumerate(["ABHA", *SMS_REGISTRATION]):
            sms.base = (a if n % 2 == 0 else b).url
            otp = await gateway.otp(sms.phone) if answer == "{otp}" else None
            reply = await sms.send(fill(answer, sms.phone, otp))
            done.append(reply)
        assert READY in done[-1], done


async def test_an_sms_and_its_duplicate_at_two_processes_have_one_effect(
    gateway: SmsGatewayFake,
    redis: RedisProcess,
    database_url: str,
    http: aiohttp.ClientSession,
    tmp_path: Path,
) -> None:
    async with two_processes(server_env(gateway.url, database_url, redis.url), tmp_path) as (a, b):
        phones = [SmsPhone(http, a.url, f"+9176{n:08d}") for n in range(10, 20)]
        for turn, text in enumerate(["ABHA", "1", "2"]):
            for phone in phones:  # the same message id reaches both processes at once
                at_b = SmsPhone(http, b.url, phone.phone)
                message_id = f"dup-{phone.phone}-{turn}"
                (status_a, receipt_a), (status_b, receipt_b) = await asyncio.gather(
                    phone.post(text, message_id), at_b.post(text, message_id)
                )
                assert (status_a, status_b) == (200, 200)
                assert receipt_a["reply"] == receipt_b["reply"]
                assert receipt_a["duplicate"] != receipt_b["duplicate"]
        await asyncio.sleep(0.5)
        for phone in phones:  # one reply per message, and the conversation moved three steps
            texts = [d.text for d in gateway.to(phone.phone)]
            assert len(texts) == 3, texts
            assert texts[-1].startswith("Use "), texts


@pytest.mark.skipif(not (ROOT / "webhooks" / "telegram.py").exists(), reason="no Telegram webhook")
async def test_a_telegram_update_and_its_duplicate_at_two_processes_have_one_effect(
    gateway: SmsGatewayFake,
    redis: RedisProcess,
    database_url: str,
    http: aiohttp.ClientSession,
    tmp_path: Path,
) -> None:
    from testing.fakes.telegram_api import TelegramApiFake
    from testing.fakes.telegram_updates import UpdateFactory, user

    async with TelegramApiFake().running() as api:
        person = user(4242)
        updates = UpdateFactory(api)
        env = server_env(
            gateway.url,
            database_url,
            redis.url,
            TELEGRAM_BOT_TOKEN=api.token,
            AROGYA_TELEGRAM_API_BASE=api.base_url,
            AROGYA_TELEGRAM_WEBHOOK_SECRET=TELEGRAM_SECRET,
        )
        async with two_processes(env, tmp_path) as (a, b):
            headers = {"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET}
            for text in ("/start", "1"):
                update = updates.text(person, text)  # Telegram's retry reaches the other process
                answers = await asyncio.gather(
                    *(
                        http.post(f"{server.url}/telegram/webhook", json=update, headers=headers)
                        for server in (a, b)
                    )
                )
                assert [r.status for r in answers] == [200, 200], [await r.text() for r in answers]
                for response in answers:
                    response.release()
            await asyncio.sleep(1.0)
        replies = api.texts(4242)
        assert len(replies) == 2, replies  # one answer to each update, not two
        assert replies[0] != replies[1]  # and the second moved the conversation on
