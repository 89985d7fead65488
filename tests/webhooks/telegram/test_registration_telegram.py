"""A doctor registers on Telegram through the real webhook, with a real aiogram Bot talking to
the loopback Bot API fake: "I am a doctor" from the menu's buttons, the mobile shared as a
contact and proved by the OTP that comes by SMS, the answers typed or tapped, and the
council's decision delivered to the same chat, in the chat's language."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiogram import Bot

from core.clock import FrozenClock
from core.professionals.models import Professional, ProfessionalStatus
from core.state import StateStore
from testing.fakes.telegram_api import TelegramApiFake
from tests.flows.find.seed import REGISTRAR, seed
from tests.webhooks.telegram.conftest import running_telegram
from tests.webhooks.telegram.phone import Telegram, TelegramPhone

PHONE = "+919876543210"


@pytest.fixture
async def telegram(
    db: str,
    state: StateStore,
    clock: FrozenClock,
    telegram_api: TelegramApiFake,
    telegram_bot: Bot,
) -> AsyncIterator[Telegram]:
    async with running_telegram(
        telegram_api, telegram_bot, state, clock, deliver_notices=True
    ) as running:
        yield running


async def register(phone: TelegramPhone, steps: list[str]) -> list[list[str]]:
    return [await phone.send(step) for step in steps]


async def test_a_doctor_registers_in_the_chat_and_hears_the_decision_there(
    telegram: Telegram,
) -> None:
    await seed(telegram.services)
    user = {"id": 5550001, "is_bot": False, "first_name": "Asha", "language_code": "en"}
    phone = TelegramPhone(telegram, user, mobile=PHONE)
    await register(phone, ["/start", "tap: Find doctor/hospital"])
    screens = await register(phone, ["tap: I am a doctor: register", "tap: Start", "Asha Rao"])
    assert screens[-1][-1] == "keyboard: 📱 Share my phone number"
    shared = await phone.send("share")
    assert "Type the OTP sent to ******3210" in shared
    assert any(line.startswith("SMS: ") and "health professional" in line for line in shared)
    assert await phone.send("{otp}") == ["Your email address (0 if none)"]
    council = await phone.send("0")
    assert "[National Medical Commission]" in council
    await register(phone, ["UP", "UP/2012/5678", "2012", "MBBS", "KGMU", "KGMU", "2010"])
    await register(
        phone, ["tap: Child health (paediatrics)", "tap: Modern medicine (allopathy)", "11", "0"]
    )
    checked = await phone.send("tap: Correct, continue")
    assert "Child health (paediatrics)" in checked[0]
    (done, menu) = await phone.send("tap: Submit for verification")
    assert done.startswith("Thank you, Asha Rao. Your registration has gone to your medical")
    assert menu == "[Main menu]"

    (row,) = await Professional.filter(mobile=PHONE)
    assert (row.status, row.council, row.specialisation) == (
        ProfessionalStatus.PENDING,
        "UP",
        "paediatrics",
    )
    assert (row.notify_channel, row.notify_address) == ("telegram", str(user["id"]))

    services = telegram.services
    await services.professionals.verify(row.hpr_id, REGISTRAR, channel="web")
    await services.notifier.deliver_due()
    (decision,) = await phone.screen()
    assert "Uttar Pradesh Medical Council" in decision
    assert "verified" in decision.lower()


async def test_a_doctor_registering_in_hindi_is_asked_and_told_in_hindi(
    telegram: Telegram,
) -> None:
    await seed(telegram.services)
    user = {"id": 5550002, "is_bot": False, "first_name": "आशा", "language_code": "hi"}
    phone = TelegramPhone(telegram, user, mobile=PHONE)
    menu = await phone.send("/start")
    assert any("\u0900" <= char <= "\u097f" for char in menu[0])
    await register(
        phone,
        [
            "DOCTOR",
            "1",
            "आशा राव",
            "share",
            "{otp}",
            "0",
            "UP",
            "UP/2012/5679",
            "2012",
            "MBBS",
            "KGMU",
            "KGMU",
            "2010",
            "3",
            "1",
            "11",
            "0",
            "1",
            "1",
        ],
    )
    (row,) = await Professional.filter(mobile=PHONE)
    assert (row.language, row.notify_address) == ("hi", str(user["id"]))
    services = telegram.services
    await services.professionals.reject(row.hpr_id, REGISTRAR, "नंबर मेल नहीं खाता", channel="web")
    await services.notifier.deliver_due()
    (decision,) = await phone.screen()
    assert "उत्तर प्रदेश" in decision
    assert "नंबर मेल नहीं खाता" in decision
