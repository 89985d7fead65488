"""Faults, against real `arogya serve` processes: a kill -9 with live sessions, a Redis restart
under load, the SMS gateway down, PostgreSQL connections dropped.

The claims (docs/evidence.md): state lives in Redis and the database, so a process killed at
any moment costs at most the hop in flight, which the gateway's retry (the same `text`, the same
SMS id) then completes; an outage of Redis is a "please try again", not a 500, and the app
recovers by itself; the SMS outbox delivers every queued message once the gateway is back, each
exactly once; a dropped database connection is replaced by the pool.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
from collections.abc import Awaitable, Callable
from pathlib import Path

import aiohttp
import asyncpg
import pytest

from testing.services import ArogyaProcess, RedisProcess, fresh_database, throwaway_postgres
from tests.evidence.system import (
    FULL,
    OTP_SMS,
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

TRY_AGAIN = "Please try again in a moment"
POSTGRES_URL = os.environ.get("AROGYA_TEST_DATABASE_URL")
SESSIONS = 200 if FULL else 24


async def gather_limited(jobs: list[Callable[[], Awaitable[None]]], limit: int = 16) -> None:
    gate = asyncio.Semaphore(limit)

    async def one(job: Callable[[], Awaitable[None]]) -> None:
        async with gate:
            await job()

    await asyncio.gather(*(one(job) for job in jobs))


async def ussd_step(phone: UssdPhone, gateway: SmsGatewayFake) -> str:
    """Type the next input of the registration."""
    answer = REGISTRATION[len(phone.inputs)]
    otp = await gateway.otp(phone.phone) if answer == "{otp}" else None
    return await phone.send(fill(answer, phone.phone, otp))


async def sms_step(phone: SmsPhone, done: list[str], gateway: SmsGatewayFake) -> str:
    """`done` holds what this phone sent so far ("ABHA", then the registration's inputs)."""
    answer = "ABHA" if not done else SMS_REGISTRATION[len(done) - 1]
    otp = await gateway.otp(phone.phone) if answer == "{otp}" else None
    text = fill(answer, phone.phone, otp)
    reply = await phone.send(text)
    done.append(text)
    return reply


async def test_kill9_with_live_sessions_then_every_session_continues_at_its_step(
    gateway: SmsGatewayFake,
    redis: RedisProcess,
    database_url: str,
    http: aiohttp.ClientSession,
    tmp_path: Path,
) -> None:
    env = server_env(gateway.url, database_url, redis.url)
    server = ArogyaProcess(env, log_dir=tmp_path)
    await server.start()
    try:
        rng = random.Random(8)
        ussd = [UssdPhone(http, server.url, f"+9171{n:08d}", f"kill-{n}") for n in range(SESSIONS)]
        sms = [SmsPhone(http, server.url, f"+9172{n:08d}") for n in range(SESSIONS // 4)]
        sms_done: dict[str, list[str]] = {phone.phone: [] for phone in sms}
        phones = [p.phone for p in ussd] + [p.phone for p in sms]
        targets = {phone: rng.randrange(1, len(REGISTRATION) - 1) for phone in phones}

        async def advance_ussd(phone: UssdPhone) -> None:
            await phone.dial()
            while len(phone.inputs) < targets[phone.phone]:
                await ussd_step(phone, gateway)

        async def advance_sms(phone: SmsPhone) -> None:
            while len(sms_done[phone.phone]) <= targets[phone.phone]:
                await sms_step(phone, sms_done[phone.phone], gateway)

        await gather_limited(
            [
                *(lambda p=p: advance_ussd(p) for p in ussd),
                *(lambda p=p: advance_sms(p) for p in sms),
            ]
        )

        # Half the sessions have a hop in flight when the process dies.
        in_flight = [asyncio.create_task(ussd_step(p, gateway)) for p in ussd[::2]]
        await asyncio.sleep(0.05)
        await server.kill()
        outcomes = await asyncio.gather(*in_flight, return_exceptions=True)
        lost = sum(isinstance(outcome, BaseException) for outcome in outcomes)

        restarted = ArogyaProcess(env, port=server.port, log_dir=tmp_path)
        try:
            await restarted.start()
            for phone in ussd[1::2]:  # idle during the kill: the same request gets the same page
                status, page = await phone.post("*".join(phone.inputs))
                assert (status, page) == (200, phone.pages[-1]), phone.phone

            async def finish_ussd(phone: UssdPhone) -> None:
                while len(phone.inputs) < len(REGISTRATION):
                    page = await ussd_step(phone, gateway)
                    assert "session has expired" not in page, (phone.phone, page)
                assert page.startswith("END "), (phone.phone, phone.pages)
                assert READY in page, (phone.phone, phone.pages)

            async def finish_sms(phone: SmsPhone) -> None:
                reply = ""
                while len(sms_done[phone.phone]) <= len(SMS_REGISTRATION):
                    reply = await sms_step(phone, sms_done[phone.phone], gateway)
                assert READY in reply, (phone.phone, reply)

            await gather_limited(
                [
                    *(lambda p=p: finish_ussd(p) for p in ussd),
                    *(lambda p=p: finish_sms(p) for p in sms),
                ]
            )
        finally:
            await restarted.stop()
        # a mobile alone gives an ABHA address, not a number (ABDM's rule): its welcome names it
        addresses = {
            d.text.split("ABHA address is ")[1].split(". Link")[0]
            for d in gateway.deliveries
            if "Your ABHA address is" in d.text
        }
        assert len(addresses) == len(ussd) + len(sms)  # one Health ID each, none twice
        print(
            f"kill -9: {len(ussd)} USSD + {len(sms)} SMS sessions, {lost} hops in flight lost "
            "and resent; all completed"
        )
    finally:
        await server.kill()  # a no-op once the test killed it itself


async def test_redis_restart_under_load_says_try_again_then_recovers_without_a_restart(
    gateway: SmsGatewayFake, database_url: str, http: aiohttp.ClientSession, tmp_path: Path
) -> None:
    redis = RedisProcess(appendonly=True)  # its data survives the restart, as in production
    await redis.start()
    server = ArogyaProcess(server_env(gateway.url, database_url, redis.url), log_dir=tmp_path)
    await server.start()
    try:
        phones = [UssdPhone(http, server.url, f"+9173{n:08d}", f"redis-{n}") for n in range(8)]
        for phone in phones:
            await phone.dial()
            await ussd_step(phone, gateway)
        await redis.stop()
        during: list[tuple[int, str]] = []
        for n, phone in enumerate(phones):  # the load goes on while Redis is away
            during.append(await phone.post("*".join([*phone.inputs, "2"])))
            newcomer = UssdPhone(http, server.url, f"+9173{n + 100:08d}", f"redis-new-{n}")
            during.append(await newcomer.post(""))
        sms_status, _ = await SmsPhone(http, server.url, "+917300009999").post("ABHA", "x1")
        assert all(status == 200 for status, _ in during), during
        assert all(page.startswith("END ") and TRY_AGAIN in page for _, page in during), during
        assert sms_status == 503  # the SMS gateway retries the delivery later

        await redis.start()
        for phone in phones:  # the same hops again, now answered; nobody restarted the app
            async with asyncio.timeout(20):
                while True:
                    status, page = await phone.post("*".join([*phone.inputs, "2"]))
                    if TRY_AGAIN not in page:
                        break
                    await asyncio.sleep(0.2)
            assert status == 200
            assert page.startswith("CON "), page
        fresh = UssdPhone(http, server.url, "+917300001111", "after")
        await fresh.dial()
        while len(fresh.inputs) < len(REGISTRATION):
            page = await ussd_step(fresh, gateway)
        assert READY in page
        status, _ = await SmsPhone(http, server.url, "+917300009999").post("ABHA", "x1")
        assert status == 200
        assert "Traceback" not in server.log_text().split("state store unavailable")[0]
    finally:
        await server.stop()
        await redis.close()


async def test_sms_gateway_down_then_every_queued_sms_is_delivered_once(
    gateway: SmsGatewayFake,
    redis: RedisProcess,
    database_url: str,
    http: aiohttp.ClientSession,
    tmp_path: Path,
) -> None:
    outage = 60.0 if FULL else 4.0
    env = server_env(
        gateway.url,
        database_url,
        redis.url,
        AROGYA_SMS_RETRY_BASE_SECONDS="0.5",
        AROGYA_SMS_RETRY_MAX_SECONDS="4",
        AROGYA_SMS_MAX_ATTEMPTS="100",
    )
    server = ArogyaProcess(env, log_dir=tmp_path)
    await server.start()
    try:
        await gateway.stop()
        phones = [SmsPhone(http, server.url, f"+9174{n:08d}") for n in range(10)]
        for phone in phones:  # each queues a reply and an OTP while the gateway is down
            for text in ("ABHA", "1", "2", "1"):
                await phone.send(text)
        assert gateway.deliveries == []
        await asyncio.sleep(outage)
        await gateway.start()
        expected = 5 * len(phones)  # four replies and one OTP each
        await gateway.wait_for(expected, within=30)
        await asyncio.sleep(3)  # would any message come a second time?
    finally:
        await server.stop()
    assert len(gateway.deliveries) == expected
    assert gateway.duplicates() == []
    for phone in phones:
        texts = [d.text for d in gateway.to(phone.phone)]
        assert len(texts) == 5, texts
        assert sum(OTP_SMS in text for text in texts) == 1, texts


@pytest.mark.skipif(
    not FULL and not POSTGRES_URL,
    reason="needs PostgreSQL (pass 2 of the suite, or AROGYA_EVIDENCE=full)",
)
async def test_postgres_connections_dropped_then_the_pool_reconnects(
    gateway: SmsGatewayFake, redis: RedisProcess, http: aiohttp.ClientSession, tmp_path: Path
) -> None:
    own = throwaway_postgres() if POSTGRES_URL is None else contextlib.nullcontext(POSTGRES_URL)
    async with own as server_url:
        database = await fresh_database(server_url, "evidence_pg_drop")
        server = ArogyaProcess(server_env(gateway.url, database, redis.url), log_dir=tmp_path)
        await server.start()
        try:
            phone = UssdPhone(http, server.url, "+917500000001", "pg-1")
            await phone.dial()
            for _ in range(4):
                await ussd_step(phone, gateway)
            admin = await asyncpg.connect(server_url.replace("postgres://", "postgresql://", 1))
            try:
                killed = await admin.fetchval(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = 'evidence_pg_drop' AND pid <> pg_backend_pid()"
                )
            finally:
                await admin.close()
            assert killed >= 1
            answers = []
            while len(phone.inputs) < len(REGISTRATION):
                answers.append(await ussd_step(phone, gateway))
            assert READY in answers[-1]
            assert not any(TRY_AGAIN in page for page in answers), answers
        finally:
            await server.stop()
