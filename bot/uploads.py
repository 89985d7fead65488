"""A person's own health document from the chat: a photo, or a PDF, JPEG or PNG file, kept as a
self-uploaded HealthDocumentRecord of the ABHA the chat acts for (`RecordService.add_own_document`).

Why these rules:

- Only a chat that proved its mobile by OTP and acts for an ABHA (core's channels registry) may
  add to that ABHA's records. Any other chat is told how to log in, and nothing is downloaded.
- Type and size are judged on what Telegram says about the file before it is downloaded: a photo
  is a JPEG (its largest size is taken), a file goes by its MIME type, else its name. Core checks
  the first bytes again. The size limit is core's: a stored bundle may hold
  `records_max_bundle_bytes`, and the file goes into it in base64, so about three quarters of
  that (less a little room for the bundle around it).
- The file is downloaded and stored before the chat's conversation is held (a download may take
  seconds; the conversation's lock is short). The record made for an update is remembered for a
  day under `upload:telegram:<chat>:<update>`, so Telegram delivering the update again (our reply
  failed) stores nothing twice.
- The confirmation then goes out with the question pending after it (`reask`): whatever the
  person was doing carries on where it was, its buttons at the bottom again.

    [photo, caption "Blood test, Apollo"] -> Saved to your health records as "Blood test,
                                             Apollo". To read it, open "My health records" ...
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from pathlib import PurePosixPath

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import Message
from aiohttp import ClientError

from bot.front import TelegramFront
from bot.record import CHANNEL
from core.errors import InvalidInput, Unavailable
from core.records.checks import DISPLAY_MAX
from core.records.errors import TooLarge
from core.records.own import CONTENT_TYPES
from core.records.service import IST
from core.records.summary.words import Words
from core.services import Services
from core.state import StateKey
from locales import translate

log = logging.getLogger(__name__)

#: Bytes of a stored bundle that are not the file: its JSON around the base64 (about 1.5 KB).
BUNDLE_ROOM = 4096
#: Seconds a download may take; a slower one is retried by Telegram (webhook: 503).
DOWNLOAD_TIMEOUT = 20
#: How long the record stored for an update is remembered against a second delivery.
STORED_TTL_SECONDS = 24 * 60 * 60
#: File names Telegram may send without a MIME type we know.
BY_SUFFIX = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
}


@dataclass(frozen=True, slots=True)
class Upload:
    file_id: str
    #: Bytes, as Telegram states them (None: not stated).
    size: int | None
    #: One of core's accepted types, or None for a file we do not keep.
    content_type: str | None
    #: "photo" or "document": the default title's word.
    kind: str


def upload_of(message: Message) -> Upload | None:
    """The file a message carries: a photo's largest size, or a document."""
    if message.photo:
        largest = max(message.photo, key=lambda p: (p.width * p.height, p.file_size or 0))
        return Upload(largest.file_id, largest.file_size, "image/jpeg", "photo")
    document = message.document
    if document is None:
        return None
    kind = (document.mime_type or "").lower()
    if kind not in CONTENT_TYPES:
        suffix = PurePosixPath(document.file_name or "").suffix.lower()
        kind = BY_SUFFIX.get(suffix, "") if kind in ("", "application/octet-stream") else ""
    return Upload(document.file_id, document.file_size, kind or None, "document")


def file_limit(max_bundle_bytes: int) -> int:
    """The largest file whose bundle core will store."""
    return max(0, (max_bundle_bytes - BUNDLE_ROOM) * 3 // 4)


async def acting_abha(services: Services, chat_id: int) -> str | None:
    """The ABHA the chat acts for, while its verified mobile still holds it."""
    endpoint = await services.channels.endpoint(CHANNEL, str(chat_id))
    abha = endpoint.abha_number if endpoint else None
    if abha is None or abha not in await services.channels.linked(CHANNEL, str(chat_id)):
        return None
    return abha


def title_of(message: Message, upload: Upload, services: Services, lang: str) -> str:
    """The caption, else "Photo, 25 Nov 2026" in the chat's language."""
    caption = " ".join((message.caption or "").split())
    if caption:
        return caption[:DISPLAY_MAX]
    today = Words(lang).date(services.clock.now().astimezone(IST).date())
    return translate(f"telegram.upload.title.{upload.kind}", lang, date=today or "")


async def download(bot: Bot, file_id: str) -> bytes:
    """The file's bytes from the Bot API server (`getFile`, then a GET of its file_path)."""
    found = await bot.get_file(file_id)
    if not found.file_path:
        raise Unavailable("telegram.file_unavailable")
    into = io.BytesIO()
    try:
        await bot.download_file(found.file_path, into, timeout=DOWNLOAD_TIMEOUT)
    except ClientError as exc:
        log.warning("file %s not downloaded: %r", file_id, exc)
        raise Unavailable("telegram.file_unavailable") from exc
    return into.getvalue()


async def take_upload(front: TelegramFront, bot: Bot, message: Message, update_id: int) -> None:
    chat_id, user, services = message.chat.id, message.from_user, front.services
    upload = upload_of(message)
    assert upload is not None  # the router's filter

    async def say(key: str, *, reask: bool = False, **params: str) -> None:
        await front.notice(bot, chat_id, user, update_id, key, reask=reask, **params)

    lang = await front.hint(chat_id, user)
    limit = file_limit(services.records.max_bundle_bytes)
    largest = Words(lang).size(limit)
    abha = await acting_abha(services, chat_id)
    if abha is None:
        return await say("telegram.upload.not_linked", menu=translate("recordsflow.menu", lang))
    if upload.content_type is None:
        return await say("telegram.upload.unsupported")
    if upload.size is not None and upload.size > limit:
        return await say("telegram.upload.too_large", max=largest)
    seen = str(StateKey("upload", CHANNEL, f"{chat_id}:{update_id}"))
    stored = await services.state.get_json(seen)
    if not isinstance(stored, dict):
        try:
            data = await download(bot, upload.file_id)
        except TelegramBadRequest as refusal:  # past the Bot API's 20 MB, size not stated
            if "too big" not in refusal.message:
                raise
            return await say("telegram.upload.too_large", max=largest)
        title = title_of(message, upload, services, lang)
        try:
            record = await services.records.add_own_document(
                abha, title=title, content_type=upload.content_type, data=data, channel=CHANNEL
            )
        except TooLarge:
            return await say("telegram.upload.too_large", max=largest)
        except InvalidInput as refusal:
            log.info("upload in chat %s refused: %r", chat_id, refusal)
            return await say("telegram.upload.unsupported")
        stored = {"id": record.id, "title": title}
        await services.state.set_json(seen, stored, STORED_TTL_SECONDS)
    menu = translate("recordsflow.menu", lang)
    await say("telegram.upload.stored", reask=True, title=str(stored["title"]), menu=menu)
