"""Sending an `Outgoing` reply to a chat: card photos, texts, and the right keyboard.

Why the keyboard juggling: a Telegram message carries one `reply_markup`, either an inline
keyboard (our choices) or a reply keyboard (the contact-share button, or its removal), and a
message sent with a reply keyboard can never be edited afterwards. So when a reply must both
take the contact keyboard away and offer choices, a short "Thank you." carries the removal and
the reply follows with its buttons; when it must show the contact keyboard and choices, the
choices follow in a message of their own.

The card is rendered by core in the reply's language and sent as a photo with the number and
the address in its caption; a card core cannot render (the ABHA was just deactivated) is left
out with a log line rather than losing the rest of the reply.

A record's FHIR file is read through `RecordService.read_record`, the audited read (channel
"telegram", read by the ABHA the chat acts for), and sent as `<hi-type>-<date>.json` with the
media type `application/fhir+json`. It goes only to a chat whose verified mobile holds the
record's ABHA; anything else is a bug upstream, logged, and the file left out.
"""

from __future__ import annotations

import asyncio
import logging

from aiogram import Bot
from aiogram.types import (
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)

from bot.factory import TypedInputFile
from bot.notify_deliverer import render_html
from bot.record import CHANNEL
from bot.render import Outgoing
from core.errors import ArogyaError, Unavailable
from core.healthid import numbers
from core.healthid.service import HealthIdService
from core.services import Services
from locales import translate

log = logging.getLogger(__name__)

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove
#: Seconds one request of a reply may take, and all of a reply's requests together: a reply is
#: sent while the chat's conversation is held, whose lock lasts 10 s. A slower Telegram is a
#: failed send (TimeoutError): the webhook answers 503 and the update comes again.
REPLY_TIMEOUT = 4
REPLY_BUDGET = 8.0
#: The media type of a FHIR resource in JSON (FHIR R4, http.html#mime-type).
FHIR_JSON = "application/fhir+json"


def inline_keyboard(outgoing: Outgoing) -> InlineKeyboardMarkup | None:
    if not outgoing.buttons:
        return None
    rows = [[InlineKeyboardButton(text=b.label, callback_data=b.data)] for b in outgoing.buttons]
    return InlineKeyboardMarkup(inline_keyboard=rows)


def contact_keyboard(lang: str) -> ReplyKeyboardMarkup:
    share = KeyboardButton(text=translate("telegram.contact.share", lang), request_contact=True)
    return ReplyKeyboardMarkup(keyboard=[[share]], resize_keyboard=True, one_time_keyboard=True)


async def send_card(
    bot: Bot, chat_id: int, healthid: HealthIdService, abha: str, lang: str
) -> None:
    try:
        person = await healthid.get(abha)
        png = await healthid.card_png(abha, lang)
    except ArogyaError as refusal:
        log.warning("no card for chat %s: %r", chat_id, refusal)
        return
    if person.has_number:
        params = {"abha_number": person.abha_number, "address": person.address}
        caption = render_html("telegram.card.caption", lang, params)
    else:  # an ABHA address alone (made with a mobile): no number to show
        caption = render_html("telegram.card.caption_address", lang, {"address": person.address})
    upload = BufferedInputFile(png, filename=f"abha-{numbers.compact(abha)}.png")
    await bot.send_photo(chat_id, upload, caption=caption, request_timeout=REPLY_TIMEOUT)


async def send_fhir_document(bot: Bot, chat_id: int, services: Services, record_id: str) -> None:
    endpoint = await services.channels.endpoint(CHANNEL, str(chat_id))
    reader = endpoint.abha_number if endpoint else None
    if reader is None:
        log.warning("no FHIR file for chat %s: it acts for no ABHA", chat_id)
        return
    try:
        held = await services.channels.linked(CHANNEL, str(chat_id))
        opened = await services.records.read_record(
            record_id, reader=numbers.compact(reader), channel=CHANNEL
        )
    except Unavailable:
        raise
    except ArogyaError as refusal:
        log.warning("no FHIR file for chat %s: %r", chat_id, refusal)
        return
    record = opened.record
    if record.abha_number not in held:
        log.error("record %s is not held by chat %s: not sent", record_id, chat_id)
        return
    name = f"{record.hi_type.value}-{record.date.isoformat()}.json"
    upload = TypedInputFile(opened.fhir_json, filename=name, content_type=FHIR_JSON)
    await bot.send_document(chat_id, upload, request_timeout=REPLY_TIMEOUT)


async def deliver(bot: Bot, chat_id: int, outgoing: Outgoing, services: Services) -> None:
    async with asyncio.timeout(REPLY_BUDGET):
        await _deliver(bot, chat_id, outgoing, services)


async def _deliver(bot: Bot, chat_id: int, outgoing: Outgoing, services: Services) -> None:
    for abha in outgoing.cards:
        await send_card(bot, chat_id, services.healthid, abha, outgoing.lang)
    for record_id in outgoing.documents:
        await send_fhir_document(bot, chat_id, services, record_id)
    if not outgoing.texts:
        return
    inline = inline_keyboard(outgoing)
    markup: Markup | None = inline
    if outgoing.ask_contact:
        markup = contact_keyboard(outgoing.lang)
    elif outgoing.hide_contact and inline is None:
        markup = ReplyKeyboardRemove()
    elif outgoing.hide_contact:
        thanks = render_html("telegram.contact.thanks", outgoing.lang, {})
        await send(bot, chat_id, thanks, ReplyKeyboardRemove())
    *leading, last = outgoing.texts
    for text in leading:
        await send(bot, chat_id, text, None)
    await send(bot, chat_id, last, markup)
    if inline is not None and markup is not inline:
        await send(bot, chat_id, render_html("telegram.choose", outgoing.lang, {}), inline)


async def send(bot: Bot, chat_id: int, text: str, markup: Markup | None) -> None:
    await bot.send_message(chat_id, text, reply_markup=markup, request_timeout=REPLY_TIMEOUT)
