"""People and payloads shared by the fake API tests."""

from __future__ import annotations

import io

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from PIL import Image

from testing.fakes.telegram_updates import user

ASHA = user(4242, "Asha", language_code="hi")
RAVI = user(5151, "Ravi")


def png(width: int, height: int, colour: str = "teal") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def keyboard(*rows: list[tuple[str, str]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text=text, callback_data=data) for text, data in row]
            for row in rows
        ]
    )
