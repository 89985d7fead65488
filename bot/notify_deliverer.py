"""Carrying the notifier's notices to Telegram chats.

Why here and not in core: rendering a notice for Telegram means HTML (every parameter escaped,
because parameters carry names people typed), an inline keyboard for its buttons, and a photo for
an attachment such as the Health ID card, all of which need aiogram; core only knows the
`Deliverer` port. Sending goes through `TelegramSender`, so pushes stay within Telegram's limits,
and its `SendFailed` becomes the notifier's retryable or permanent failure.

Attachments are named by reference (`card:<ABHA number>`) in the outbox and loaded at send time
by a loader registered for the reference's scheme, so the outbox never stores a card image.
"""

from __future__ import annotations

import html
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.sender import SendFailed, TelegramSender
from core.healthid import numbers
from core.healthid.service import HealthIdService
from core.notify.ports import Notice, PermanentDeliveryError, RetryableDeliveryError
from locales import translate


@dataclass(frozen=True, slots=True)
class Attachment:
    filename: str
    data: bytes
    #: A photo is shown inline (the card); a document is a file to open.
    kind: Literal["photo", "document"] = "photo"


#: (what follows `scheme:` in the reference, language) -> the attachment.
AttachmentLoader = Callable[[str, str], Awaitable[Attachment]]


def render_html(key: str, lang: str, params: Mapping[str, Any]) -> str:
    """The catalog text with every string parameter HTML-escaped (the bot's parse mode)."""
    escaped = {k: html.escape(v) if isinstance(v, str) else v for k, v in params.items()}
    return translate(key, lang, **escaped)


def inline_keyboard(notice: Notice) -> InlineKeyboardMarkup | None:
    if not notice.buttons:
        return None
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=translate(button.label, notice.lang),
                    callback_data=button.data,
                    url=button.url,
                )
                for button in row
            ]
            for row in notice.buttons
        ]
    )


class TelegramDeliverer:
    def __init__(
        self, sender: TelegramSender, attachments: Mapping[str, AttachmentLoader] | None = None
    ) -> None:
        self._sender = sender
        self._loaders = dict(attachments or {})

    async def deliver(self, notice: Notice) -> None:
        try:
            chat_id = int(notice.address)
        except ValueError:
            raise PermanentDeliveryError(f"{notice.address!r} is not a chat id") from None
        text = render_html(notice.message_key, notice.lang, notice.params)
        markup = inline_keyboard(notice)
        try:
            if notice.attachment is None:
                await self._sender.send_text(chat_id, text, reply_markup=markup)
                return
            attachment = await self._load(notice.attachment, notice.lang)
            send = (
                self._sender.send_photo
                if attachment.kind == "photo"
                else self._sender.send_document
            )
            await send(
                chat_id,
                attachment.data,
                filename=attachment.filename,
                caption=text,
                reply_markup=markup,
            )
        except SendFailed as exc:
            if exc.permanent:
                raise PermanentDeliveryError(exc.reason) from exc
            raise RetryableDeliveryError(exc.reason, retry_after=exc.retry_after) from exc

    async def _load(self, reference: str, lang: str) -> Attachment:
        scheme, _, rest = reference.partition(":")
        loader = self._loaders.get(scheme)
        if loader is None:
            raise PermanentDeliveryError(f"no loader for attachment {scheme!r}")
        return await loader(rest, lang)


def card_loader(healthid: HealthIdService) -> AttachmentLoader:
    """`card:<ABHA number>` -> the Health ID card PNG, rendered by core in the notice's
    language (the loader the composition root registers)."""

    async def load(abha_number: str, lang: str) -> Attachment:
        png = await healthid.card_png(abha_number, lang)
        return Attachment(filename=f"abha-{numbers.compact(abha_number)}.png", data=png)

    return load
