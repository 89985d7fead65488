"""ABDM's own ABHA card in `abdm` mode (CRT_ABHA_114): fetched with the holder's user token,
kept sealed, shown as the Telegram photo; Arogya's card only when ABDM's cannot be had."""

from __future__ import annotations

import io
import json
from typing import Any

import zxingcpp
from aiogram import Bot
from PIL import Image

from core.abdm import wire
from core.abdm.cards.models import AbdmCard, AbdmUserToken
from core.clock import FrozenClock
from core.healthid import card
from core.services import Services
from core.state import StateStore
from testing.fakes.telegram_api import TelegramApiFake
from tests.webhooks.abdm.conftest import AADHAAR, PHONE, Abdm, AbdmUssdPhone, Running, abdm_settings
from tests.webhooks.abdm.test_faults import finish, start
from tests.webhooks.abdm.test_login import made_elsewhere
from tests.webhooks.telegram.conftest import running_telegram
from tests.webhooks.telegram.phone import TelegramPhone

CHAT = 700014
USER = {"id": CHAT, "is_bot": False, "first_name": "सुनील", "language_code": "hi"}
NEW = "+919123456789"
CARD = "/abha/api" + wire.CARD_PATH
QR = "/abha/api" + wire.QR_PATH


def qr_of(png: bytes) -> tuple[Image.Image, dict[str, Any]]:
    image = Image.open(io.BytesIO(png))
    image.load()
    [code] = zxingcpp.read_barcodes(image)
    payload: dict[str, Any] = json.loads(code.text)
    return image, payload


async def test_the_telegram_card_photo_is_the_card_abdm_served(
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
        await phone.send(abdm.fake.people.last_otp(PHONE))
        for action in ("tap: suniljoshi1954@sbx", "4826", "4826", "tap: आभा बनाएँ"):
            await phone.send(action)
    [photo] = telegram_api.photos(CHAT)
    assert photo == abdm.fake.cards.served[-1]  # ABDM's bytes, not a card Arogya drew
    _, payload = qr_of(photo)
    issued = abdm.fake.people.abha_of(AADHAAR)
    assert issued is not None
    assert (payload["hidn"], payload["hid"]) == (issued.number, "suniljoshi1954@sbx")
    kept = await AbdmCard.get(abha_number=issued.number.replace("-", ""))
    assert kept.kind == "card"
    assert photo not in kept.sealed.encode()  # sealed at rest


async def test_the_kept_card_outlives_the_token_and_no_token_means_no_call(
    registry: Services, abdm: Abdm, clock: FrozenClock
) -> None:
    number = await finish(registry, abdm, await start(registry))
    first = await registry.healthid.card_png(number, "hi")
    assert first == abdm.fake.cards.served[-1]
    assert await registry.healthid.card_png(number, "en") == first  # kept: no second call
    assert abdm.fake.calls.count(CARD) == 1
    clock.advance(minutes=40)  # the user token has lapsed; the card kept is still ABDM's
    assert await registry.healthid.card_png(number, "hi") == first
    assert abdm.fake.calls.count(CARD) == 1
    assert not await AbdmUserToken.exists(abha_number=number, expires_at__gt=clock.now())


async def test_a_login_fetches_a_fresh_card_only_when_a_card_is_shown(
    running: Running, abdm: Abdm, clock: FrozenClock
) -> None:
    made_elsewhere(abdm)
    phone = AbdmUssdPhone(running, abdm, clock)
    await phone.dial()
    for text in ("2", "1", "{otp}"):
        page = await phone.send(text)
    assert page.startswith("CON Hello Kamla")
    assert CARD not in abdm.fake.calls  # USSD shows no card: no card call
    kamla = "91200000000006"
    assert await AbdmUserToken.exists(abha_number=kamla)
    png = await running.services.healthid.card_png(kamla, "en")
    assert png == abdm.fake.cards.served[-1]
    assert qr_of(png)[1]["hid"] == "kamla.joshi58@sbx"


async def test_a_pdf_card_puts_abdms_qr_on_arogyas_card(registry: Services, abdm: Abdm) -> None:
    abdm.fake.cards.as_pdf = True
    number = await finish(registry, abdm, await start(registry))
    png = await registry.healthid.card_png(number, "hi")
    assert abdm.fake.calls[-2:] == [CARD, QR]
    image, payload = qr_of(png)
    assert image.size == (card.WIDTH, card.HEIGHT)  # Arogya's card, as a photo can show it
    issued = abdm.fake.people.abha_of(AADHAAR)
    assert issued is not None
    assert payload["hidn"] == issued.number
    assert payload["mobile"] == "9876543210"
    assert (await AbdmCard.get(abha_number=number)).kind == "qr"


async def test_a_token_abdm_refuses_is_dropped_and_arogyas_card_shown(
    registry: Services, abdm: Abdm
) -> None:
    number = await finish(registry, abdm, await start(registry))
    abdm.fake.x_tokens.clear()  # ABDM forgot every user token (ended the session)
    png = await registry.healthid.card_png(number, "en")
    assert abdm.fake.cards.served == []
    image, payload = qr_of(png)
    assert image.size == (card.WIDTH, card.HEIGHT)
    assert payload["hidn"].replace("-", "") == number  # Arogya's, from the mirror
    assert not await AbdmUserToken.exists(abha_number=number)
    assert not await AbdmCard.exists(abha_number=number)


async def test_abdm_down_for_the_card_still_shows_a_card(registry: Services, abdm: Abdm) -> None:
    number = await finish(registry, abdm, await start(registry))
    abdm.fake.fail_next[CARD] = (503, {"error": {"code": "ABDM-1206", "message": "down"}})
    png = await registry.healthid.card_png(number, "en")
    assert qr_of(png)[1]["hidn"].replace("-", "") == number
    assert await AbdmUserToken.exists(abha_number=number)  # kept: the next show tries again
    assert await registry.healthid.card_png(number, "en") == abdm.fake.cards.served[-1]


async def test_a_mobile_change_drops_the_card_that_printed_the_old_mobile(
    registry: Services, abdm: Abdm
) -> None:
    number = await finish(registry, abdm, await start(registry))
    await registry.healthid.card_png(number, "en")
    assert await AbdmCard.exists(abha_number=number)
    healthid = registry.healthid
    await healthid.set_pin(number, "4826", channel="cli")
    change = await healthid.open_mobile_change(number, NEW, "4826", channel="ussd")
    old = await healthid.prove_old_mobile(change, lang="en")
    otp = abdm.fake.people.last_otp(PHONE)
    new = await healthid.confirm_mobile_holder(old.txn_id, otp, lang="en")
    await healthid.finish_mobile_change(new.txn_id, abdm.fake.people.last_otp(NEW), channel="ussd")
    assert not await AbdmCard.exists(abha_number=number)
    assert not await AbdmUserToken.exists(abha_number=number)
    _, payload = qr_of(await healthid.card_png(number, "en"))
    assert payload["mobile"] == "9123456789"  # Arogya's card, from the mirror, until a login
