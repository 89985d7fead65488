"""The Health ID card on Telegram: a photo of core's PNG, after creation and from "My details",
with the number and address in the caption. The bytes the fake received are decoded."""

from __future__ import annotations

import io
import json
from typing import Any

import zxingcpp
from PIL import Image

from core.healthid import card
from testing.fakes.telegram_updates import user
from tests.webhooks.telegram.phone import Telegram, TelegramPhone

MEENA = user(820001, "Meena", language_code="hi")
CREATE_WITH_AADHAAR_HI = [
    "/start",
    "tap: आभा कार्ड बनाएँ",
    "tap: आधार से",
    "tap: हाँ",
    "share",
    "999999990026",
    "{otp}",
    "1",
    "4826",
    "4826",
    "tap: आभा बनाएँ",
]


def decode(png: bytes) -> tuple[Image.Image, dict[str, Any]]:
    image = Image.open(io.BytesIO(png))
    image.load()
    [code] = zxingcpp.read_barcodes(image)
    payload: dict[str, Any] = json.loads(code.text)
    return image, payload


async def create(phone: TelegramPhone) -> None:
    for action in CREATE_WITH_AADHAAR_HI:
        await phone.send(action)


async def test_the_new_card_is_a_photo_of_core_png_in_the_chats_language(
    telegram: Telegram,
) -> None:
    phone = TelegramPhone(telegram, MEENA)
    await create(phone)

    [photo_message] = [m for m in telegram.api.sent(MEENA["id"]) if "photo" in m]
    [png] = telegram.api.photos(MEENA["id"])
    image, payload = decode(png)
    person = (await telegram.services.healthid.by_mobile("+919876543210"))[0]

    assert image.format == "PNG"
    assert image.size == (card.WIDTH, card.HEIGHT)
    assert payload["hidn"] == person.abha_number
    assert payload["hid"] == person.address
    assert photo_message["caption"] == (
        f"आभा कार्ड\nआभा नंबर: {person.abha_number}\nआभा पता: {person.address}"
    )
    bold = [e for e in photo_message["caption_entities"] if e["type"] == "bold"]
    assert len(bold) == 2  # the number and the address stand out
    upload = next(c for c in telegram.api.calls("sendPhoto") if c.ok).uploads["photo"]
    assert upload.filename == f"abha-{person.abha_number.replace('-', '')}.png"
    assert png == await telegram.services.healthid.card_png(person.abha_number, "hi")


async def test_my_details_sends_the_card_again_on_demand(telegram: Telegram) -> None:
    phone = TelegramPhone(telegram, MEENA)
    await create(phone)
    await phone.send("tap: मुख्य मेनू")
    await phone.send("tap: मेरा आभा कार्ड")
    await phone.send("1")  # the ABHA of this chat's verified mobile: no new OTP

    seen = await phone.send("tap: मेरा विवरण")

    assert seen[0].startswith("photo 1012x638: आभा कार्ड")
    assert len(telegram.api.photos(MEENA["id"])) == 2
    _, payload = decode(telegram.api.photos(MEENA["id"])[-1])
    assert payload["mobile"] == "9876543210"
    assert len(await telegram.services.sms.sent_to("+919876543210")) == 2  # one OTP, one welcome
