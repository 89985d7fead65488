"""OTP failures count per mobile and purpose, across transactions (issue 15, item 5).

What broke: five wrong codes typed by anyone on the anonymous doctor-registration OTP (the
partner API) locked the ABHA login of the person who owns that mobile; and failures were
counted per transaction, so twelve guesses over three transactions locked nothing. Tried over
the real endpoints: the partner API's mobile proof, and the ABHA login over USSD.
"""

from __future__ import annotations

import asyncio
from typing import Any

from core.clock import FrozenClock
from testing.healthid import enrol_with_mobile, profile
from tests.running import Running
from tests.webhooks.api.conftest import health_id
from tests.webhooks.journey_phones import PHONE, Inbox, JourneyUssdPhone

OTP = "/api/v1/professionals/mobile-otp"
VERIFY = "/api/v1/professionals/mobile-otp/verify"


async def start(running: Running) -> str:
    answer = await running.client.post(OTP, json={"mobile": "98765 43210", "language": "en"})
    assert answer.status == 201, await answer.text()
    return str((await answer.json())["txn_id"])


async def verify(running: Running, txn_id: str, code: str) -> tuple[int, Any]:
    answer = await running.client.post(VERIFY, json={"txn_id": txn_id, "otp": code})
    return answer.status, await answer.json()


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


async def test_wrong_doctor_registration_codes_leave_the_abha_login_alone(
    running: Running, clock: FrozenClock
) -> None:
    await enrol_with_mobile(health_id(running.services), "98765 43210", profile())
    txn_id = await start(running)
    code = await Inbox(running.services, PHONE).last_otp()
    answers = [await verify(running, txn_id, wrong(code)) for _ in range(5)]
    assert [status for status, _ in answers] == [422] * 4 + [429]
    assert answers[-1][1]["error"]["code"] == "otp.locked"

    phone = JourneyUssdPhone(running.client, running.services, clock)
    await phone.dial()
    await phone.send("2")  # My Health ID
    await phone.send("1")  # log in with this number: an OTP for the ABHA login is sent
    assert (await phone.send("{otp}"))[0].startswith("CON Hello Sunita")

    # The doctor-registration purpose itself stays locked, in a fresh transaction too.
    answer = await running.client.post(OTP, json={"mobile": "98765 43210", "language": "en"})
    assert answer.status == 429


async def test_guesses_spread_over_transactions_are_counted_together(running: Running) -> None:
    inbox = Inbox(running.services, PHONE)
    statuses = []
    for _ in range(2):
        txn_id = await start(running)
        code = await inbox.last_otp()
        # four wrong codes: one short of a transaction's five
        statuses.append([(await verify(running, txn_id, wrong(code)))[0] for _ in range(4)])
    assert statuses == [[422] * 4, [429] * 4]  # the fifth wrong code locked, in the second
    answer = await running.client.post(OTP, json={"mobile": "98765 43210", "language": "en"})
    assert answer.status == 429  # and no third transaction starts


async def test_a_burst_over_three_transactions_cannot_beat_the_lock(running: Running) -> None:
    inbox = Inbox(running.services, PHONE)
    txns = []
    for _ in range(3):
        txn_id = await start(running)
        txns.append((txn_id, await inbox.last_otp()))

    async def right_code_a_moment_later() -> tuple[int, Any]:
        await asyncio.sleep(0.05)
        txn_id, code = txns[-1]
        return await verify(running, txn_id, code)

    answers = await asyncio.gather(
        *(verify(running, txn_id, wrong(code)) for txn_id, code in txns for _ in range(4)),
        right_code_a_moment_later(),
    )
    statuses = [status for status, _ in answers]
    # Five wrong codes checked, no more, whenever the right one landed (a right code gives
    # back its own claim and forgives nothing).
    assert sorted(statuses[:-1]) == [422] * 4 + [429] * 8, answers
    assert statuses[-1] in (200, 429), answers[-1]
    # The lock the burst set holds against a right code.
    txn_id, code = txns[1]
    assert (await verify(running, txn_id, code))[0] == 429
