"""Notices to Telegram, end to end: outbox row -> TelegramDeliverer -> sender -> the fake API."""

from __future__ import annotations

import random

import pytest
from aiogram import Bot

from bot.notify_deliverer import Attachment, TelegramDeliverer
from bot.sender import SendLimits, TelegramSender
from core.clock import FrozenClock
from core.notify.models import Channel, NotificationStatus
from core.notify.service import Notifier
from testing.fakes.telegram_api import TelegramApiFake
from testing.fakes.telegram_updates import user
from testing.fakes.virtual_time import VirtualClock
from tests.bot.helpers import png

CHAT = 4242
CARD_PNG = png(120, 76, "white")


async def load_card(abha_number: str, lang: str) -> Attachment:
    assert (abha_number, lang) == ("91123456789012", "hi")
    return Attachment(filename=f"abha-{abha_number}.png", data=CARD_PNG)


@pytest.fixture
def notifier(
    db: str,
    clock: FrozenClock,
    rng: random.Random,
    telegram_api: TelegramApiFake,
    telegram_bot: Bot,
) -> Notifier:
    telegram_api.add_user(user(CHAT, "Asha"))
    pacing = VirtualClock()  # Telegram's 1 s per chat would otherwise be slept for real
    sender = TelegramSender(
        telegram_bot, SendLimits(), monotonic=pacing.monotonic, sleep=pacing.sleep
    )
    notifier = Notifier(clock, rng)
    notifier.register(Channel.TELEGRAM, TelegramDeliverer(sender, {"card": load_card}))
    return notifier


async def test_a_notice_arrives_in_html_with_names_escaped_and_its_buttons(
    notifier: Notifier, telegram_api: TelegramApiFake
) -> None:
    await notifier.notify(
        "telegram",
        str(CHAT),
        "notify.test",
        {"name": "<राम & सीता>"},
        "hi",
        buttons=[
            [{"label": "notify.button.open_menu", "data": "menu"}],
            [{"label": "notify.button.open_menu", "url": "https://abdm.gov.in/"}],
        ],
    )

    assert await notifier.deliver_due() == 1

    [text] = telegram_api.texts(CHAT)
    assert text.startswith("नमस्ते <राम & सीता>, यह आरोग्य की ओर से")
    assert telegram_api.last_inline_keyboard(CHAT) == [
        [{"text": "मेन्यू खोलें", "callback_data": "menu"}],
        [{"text": "मेन्यू खोलें", "url": "https://abdm.gov.in/"}],
    ]


async def test_the_card_goes_as_a_photo_captioned_with_the_notice(
    notifier: Notifier, telegram_api: TelegramApiFake
) -> None:
    await notifier.notify(
        "telegram",
        str(CHAT),
        "notify.test",
        {"name": "आशा"},
        "hi",
        attachment="card:91123456789012",
    )

    assert await notifier.deliver_due() == 1

    assert telegram_api.photos(CHAT) == [CARD_PNG]
    photo = telegram_api.last_sent(CHAT)
    assert photo["caption"].startswith("नमस्ते आशा")
    assert telegram_api.calls("sendPhoto")[0].uploads["photo"].filename == "abha-91123456789012.png"


async def test_an_attachment_nobody_can_load_fails_for_good(notifier: Notifier) -> None:
    notice_id = await notifier.notify(
        "telegram", str(CHAT), "notify.test", {"name": "Asha"}, "en", attachment="xray:17"
    )

    await notifier.deliver_due()

    row = await notifier.get(notice_id)
    assert (row.status, row.last_error) == (
        NotificationStatus.FAILED,
        "no loader for attachment 'xray'",
    )


async def test_a_user_who_blocked_the_bot_is_not_pestered(
    notifier: Notifier, telegram_api: TelegramApiFake, clock: FrozenClock
) -> None:
    telegram_api.block(CHAT)
    notice_id = await notifier.notify("telegram", str(CHAT), "notify.test", {"name": "A"}, "en")

    await notifier.deliver_due()
    clock.advance(days=1)
    await notifier.deliver_due()

    row = await notifier.get(notice_id)
    assert (row.status, row.attempts) == (NotificationStatus.FAILED, 1)
    assert row.last_error == "Forbidden: bot was blocked by the user"
    assert len(telegram_api.calls("sendMessage")) == 1


async def test_queued_during_an_outage_then_delivered_exactly_once(
    notifier: Notifier, telegram_api: TelegramApiFake, clock: FrozenClock
) -> None:
    telegram_api.outage()
    notice_id = await notifier.notify("telegram", str(CHAT), "notify.test", {"name": "A"}, "en")

    for _ in range(2):
        assert await notifier.deliver_due() == 0
        clock.current = (await notifier.get(notice_id)).next_attempt_at
    telegram_api.restore()
    assert await notifier.deliver_due() == 1
    clock.advance(days=1)
    assert await notifier.deliver_due() == 0

    assert [call.status for call in telegram_api.calls("sendMessage")] == [502, 502, 200]
    assert len(telegram_api.texts(CHAT)) == 1
    row = await notifier.get(notice_id)
    assert (row.status, row.attempts) == (NotificationStatus.SENT, 3)


async def test_a_long_flood_wait_reschedules_instead_of_blocking_the_worker(
    notifier: Notifier, telegram_api: TelegramApiFake, clock: FrozenClock
) -> None:
    telegram_api.rate_limit(times=1, retry_after=600)
    notice_id = await notifier.notify("telegram", str(CHAT), "notify.test", {"name": "A"}, "en")

    assert await notifier.deliver_due() == 0

    row = await notifier.get(notice_id)
    assert row.status == NotificationStatus.PENDING
    assert (row.next_attempt_at - clock.now()).total_seconds() >= 600
