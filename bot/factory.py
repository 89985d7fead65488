"""Building the aiogram `Bot`: the one place that decides which Bot API server we talk to.

Why a factory: production talks to api.telegram.org; a deployment may run its own
telegram-bot-api server (larger uploads, its own rate limits) and the tests run a loopback fake.
All three differ only in the base URL (`AROGYA_TELEGRAM_API_BASE`), which aiogram turns into
method URLs with `TelegramAPIServer.from_base` (`<base>/bot<token>/<method>`) and file download
URLs (`<base>/file/bot<token>/<file_path>`), so `bot.download_file` reaches the same server.

HTML is the default parse mode because it is the one where escaping a user's value is one
well-known call (`html.escape`), unlike MarkdownV2's eighteen reserved characters.

Why our own session: aiogram posts an uploaded file as a multipart part without a media type
(`application/octet-stream`), and Telegram then guesses one from the name. A record's FHIR file
should say what it is (`application/fhir+json`), so a `TypedInputFile` names its type and
`TypedFormSession` writes it on the part; everything else is posted exactly as aiogram posts it.
"""

from __future__ import annotations

from typing import Any

from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.methods.base import TelegramMethod
from aiogram.types import BufferedInputFile, InputFile
from aiohttp import FormData


class TypedInputFile(BufferedInputFile):
    """Bytes to upload under a name, with the media type of the multipart part."""

    def __init__(self, file: bytes, filename: str, content_type: str) -> None:
        super().__init__(file, filename=filename)
        self.content_type = content_type


class TypedFormSession(AiohttpSession):
    """aiogram's `AiohttpSession`, whose form gives a `TypedInputFile` part its media type."""

    def build_form_data(self, bot: Bot, method: TelegramMethod[Any]) -> FormData:
        form = FormData(quote_fields=False)
        files: dict[str, InputFile] = {}
        for key, value in method.model_dump(warnings=False).items():
            prepared = self.prepare_value(value, bot=bot, files=files)
            if prepared:
                form.add_field(key, prepared)
        for key, upload in files.items():
            content_type = upload.content_type if isinstance(upload, TypedInputFile) else None
            form.add_field(
                key, upload.read(bot), filename=upload.filename or key, content_type=content_type
            )
        return form


def create_bot(token: str, api_base: str | None = None) -> Bot:
    """A Bot with HTML parse mode, on `api_base` when given, else on Telegram's own servers."""
    session = (
        TypedFormSession(api=TelegramAPIServer.from_base(api_base))
        if api_base
        else TypedFormSession()
    )
    return Bot(token, session=session, default=DefaultBotProperties(parse_mode=ParseMode.HTML))
