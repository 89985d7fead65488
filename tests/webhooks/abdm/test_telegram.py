"""The same enrolment on Telegram in Hindi, against ABDM: the real aiogram bot, the fake API."""

from __future__ import annotations

from aiogram import Bot

from core.clock import FrozenClock
from core.state import StateStore
from testing.fakes.telegram_api import TelegramApiFake
from tests.webhooks.abdm.conftest import AADHAAR, PHONE, Abdm, abdm_settings
from tests.webhooks.telegram.conftest import running_telegram
from tests.webhooks.telegram.phone import TelegramPhone

USER = {"id": 700013, "is_bot": False, "first_name": "सुनील", "language_code": "hi"}


async def test_hindi_telegram_enrolment_gets_the_number_abdm_issued(
    db: str,
    state: StateStore,
    clock: FrozenClock,
    abdm: Abdm,
    telegram_api: TelegramApiFake,
    telegram_bot: Bot,
) -> None:
    async with running_telegram(
        telegram_api, telegram_bot, state, clock, **abdm_settings(abdm)
    ) as tg:
        phone = TelegramPhone(tg, USER, PHONE)
        await phone.dial()
        for action in ("1", "tap: आधार से", "tap: हाँ", "98765 43210", AADHAAR):
            await phone.send(action)
        offered = await phone.send(abdm.fake.people.last_otp(PHONE))
        assert offered[:2] == ["आभा पता चुनें:", "[suniljoshi1954@sbx]"]  # ABDM's suggestions
        for action in ("tap: suniljoshi1954@sbx", "4826", "4826"):
            await phone.send(action)
        done = await phone.send("tap: आभा बनाएँ")
        issued = abdm.fake.people.abha_of(AADHAAR)
        assert issued is not None
        assert any(issued.number in line for line in done), done
