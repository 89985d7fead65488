"""The Telegram fake against a real aiogram Bot: it must read what aiogram really sends.

These tests pin the fake to the wire format (form fields, JSON-encoded nested objects, multipart
uploads behind attach://) and to the real API's answers, so the bot tests built on it can trust it.
"""

from __future__ import annotations

import io

import pytest
from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramUnauthorizedError,
)
from aiogram.types import (
    BotCommand,
    BotCommandScopeAllPrivateChats,
    BufferedInputFile,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)
from PIL import Image

from bot.factory import create_bot
from testing.fakes.fixtures import close_bot
from testing.fakes.telegram_api import TelegramApiFake
from tests.bot.helpers import ASHA, RAVI, keyboard, png


async def test_get_me_answers_the_bot_behind_the_token(
    telegram_api: TelegramApiFake, telegram_bot: Bot
) -> None:
    me = await telegram_bot.get_me()

    assert (me.id, me.is_bot, me.username) == (123456789, True, "arogya_test_bot")
    assert [call.method for call in telegram_api.calls()] == ["getMe"]


async def test_a_wrong_token_is_unauthorized(telegram_api: TelegramApiFake) -> None:
    stranger = create_bot("987654321:AAnotTheTokenTheServerKnows", telegram_api.base_url)
    try:
        with pytest.raises(TelegramUnauthorizedError):
            await stranger.get_me()
    finally:
        await close_bot(stranger)
    assert telegram_api.calls()[0].response == {
        "ok": False,
        "error_code": 401,
        "description": "Unauthorized",
    }


async def test_send_message_parses_the_inline_keyboard_and_the_html(
    telegram_api: TelegramApiFake, telegram_bot: Bot
) -> None:
    telegram_api.add_user(ASHA)
    markup = keyboard([("हाँ", "s3:yes"), ("नहीं", "s3:no")], [("Menu", "menu")])

    sent = await telegram_bot.send_message(
        ASHA["id"], "<b>नमस्ते</b> &lt;Asha&gt;", reply_markup=markup
    )

    call = telegram_api.calls("sendMessage")[0]
    assert call.params["chat_id"] == ASHA["id"]
    assert call.params["parse_mode"] == "HTML"  # the factory's default, sent on every call
    assert call.params["reply_markup"] == {
        "inline_keyboard": [
            [{"text": "हाँ", "callback_data": "s3:yes"}, {"text": "नहीं", "callback_data": "s3:no"}],
            [{"text": "Menu", "callback_data": "menu"}],
        ]
    }
    assert sent.text == "नमस्ते <Asha>"
    assert sent.entities is not None
    assert (sent.entities[0].type, sent.entities[0].offset, sent.entities[0].length) == (
        "bold",
        0,
        6,
    )
    assert sent.from_user is not None
    assert sent.from_user.id == 123456789
    assert (
        telegram_api.last_inline_keyboard(ASHA["id"])
        == call.params["reply_markup"]["inline_keyboard"]
    )


async def test_message_ids_count_up_per_chat(
    telegram_api: TelegramApiFake, telegram_bot: Bot
) -> None:
    telegram_api.add_user(ASHA)
    telegram_api.add_user(RAVI)

    ids = [
        (await telegram_bot.send_message(chat, "hi")).message_id
        for chat in (ASHA["id"], ASHA["id"], RAVI["id"], ASHA["id"])
    ]

    assert ids == [1, 2, 1, 3]
    assert telegram_api.texts(ASHA["id"]) == ["hi", "hi", "hi"]


async def test_send_photo_uploads_the_bytes_and_a_file_id_resends_them(
    telegram_api: TelegramApiFake, telegram_bot: Bot
) -> None:
    telegram_api.add_user(ASHA)
    image = png(64, 40)

    sent = await telegram_bot.send_photo(
        ASHA["id"], BufferedInputFile(image, "card.png"), caption="ABHA <b>91-1234</b>"
    )
    assert sent.photo is not None
    again = await telegram_bot.send_photo(ASHA["id"], sent.photo[-1].file_id)
    assert again.photo is not None

    upload = telegram_api.calls("sendPhoto")[0].uploads["photo"]
    assert (upload.filename, upload.data) == ("card.png", image)
    with Image.open(io.BytesIO(upload.data)) as decoded:
        assert (decoded.format, decoded.size) == ("PNG", (64, 40))
    assert (sent.photo[-1].width, sent.photo[-1].height) == (64, 40)
    assert sent.caption == "ABHA 91-1234"
    assert telegram_api.photos(ASHA["id"]) == [image, image]
    assert again.photo[-1].file_id == sent.photo[-1].file_id


async def test_a_photo_that_is_not_an_image_is_refused(
    telegram_api: TelegramApiFake, telegram_bot: Bot
) -> None:
    telegram_api.add_user(ASHA)

    with pytest.raises(TelegramBadRequest, match="IMAGE_PROCESS_FAILED"):
        await telegram_bot.send_photo(ASHA["id"], BufferedInputFile(b"not a png", "card.png"))


async def test_send_document_and_chat_action(
    telegram_api: TelegramApiFake, telegram_bot: Bot
) -> None:
    telegram_api.add_user(ASHA)

    assert await telegram_bot.send_chat_action(ASHA["id"], "upload_document") is True
    sent = await telegram_bot.send_document(
        ASHA["id"], BufferedInputFile(b"%PDF-1.7 ...", "record.pdf")
    )

    assert sent.document is not None
    assert sent.document.file_name == "record.pdf"
    assert telegram_api.calls("sendDocument")[0].uploads["document"].data == b"%PDF-1.7 ..."
    with pytest.raises(TelegramBadRequest, match="wrong parameter action"):
        await telegram_bot.send_chat_action(ASHA["id"], "dancing")


async def test_set_my_commands_is_kept_per_scope_and_language(
    telegram_api: TelegramApiFake, telegram_bot: Bot
) -> None:
    hindi = [BotCommand(command="start", description="शुरू करें")]
    english = [BotCommand(command="start", description="Start")]

    await telegram_bot.set_my_commands(
        hindi, scope=BotCommandScopeAllPrivateChats(), language_code="hi"
    )
    await telegram_bot.set_my_commands(english, scope=BotCommandScopeAllPrivateChats())

    call = telegram_api.calls("setMyCommands")[0]
    assert call.params["scope"] == {"type": "all_private_chats"}
    assert call.params["language_code"] == "hi"
    private = {"type": "all_private_chats"}
    assert telegram_api.commands("hi", private) == [{"command": "start", "description": "शुरू करें"}]
    assert telegram_api.commands("", private) == [{"command": "start", "description": "Start"}]
    assert telegram_api.commands("hi") == []  # the default scope was never set
    fetched = await telegram_bot.get_my_commands(
        scope=BotCommandScopeAllPrivateChats(), language_code="hi"
    )
    assert [(c.command, c.description) for c in fetched] == [("start", "शुरू करें")]
    await telegram_bot.delete_my_commands(
        scope=BotCommandScopeAllPrivateChats(), language_code="hi"
    )
    assert telegram_api.commands("hi", private) == []


async def test_invalid_commands_are_refused(telegram_bot: Bot) -> None:
    with pytest.raises(TelegramBadRequest, match="BOT_COMMAND_INVALID"):
        await telegram_bot.set_my_commands([BotCommand(command="Start Now", description="x")])


async def test_refusals_match_the_real_api(
    telegram_api: TelegramApiFake, telegram_bot: Bot
) -> None:
    telegram_api.add_user(ASHA)
    telegram_api.add_user(RAVI)
    telegram_api.block(RAVI["id"])

    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await telegram_bot.send_message(777, "hello")
    with pytest.raises(TelegramForbiddenError, match="bot was blocked by the user"):
        await telegram_bot.send_message(RAVI["id"], "hello")
    with pytest.raises(TelegramBadRequest, match='Unsupported start tag "Ram" at byte offset 6'):
        await telegram_bot.send_message(ASHA["id"], "Name: <Ram>")
    with pytest.raises(TelegramBadRequest, match="message is too long"):
        await telegram_bot.send_message(ASHA["id"], "अ" * 4097)
    with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
        await telegram_bot.send_message(
            ASHA["id"], "pick", reply_markup=keyboard([("x", "d" * 65)])
        )

    assert [call.status for call in telegram_api.calls()] == [400, 403, 400, 400, 400]
    assert telegram_api.sent(ASHA["id"]) == []
    await telegram_bot.send_message(ASHA["id"], "अ" * 4096)  # the limit itself is fine


async def test_reply_keyboard_is_what_the_user_sees_until_removed(
    telegram_api: TelegramApiFake, telegram_bot: Bot
) -> None:
    telegram_api.add_user(ASHA)
    share = ReplyKeyboardMarkup(
        keyboard=[[KeyboardButton(text="Share my number", request_contact=True)]],
        resize_keyboard=True,
        one_time_keyboard=True,
    )

    await telegram_bot.send_message(ASHA["id"], "Your number?", reply_markup=share)
    shown = telegram_api.reply_keyboard(ASHA["id"])
    await telegram_bot.send_message(ASHA["id"], "Thanks", reply_markup=ReplyKeyboardRemove())

    assert shown is not None
    assert shown["keyboard"] == [[{"text": "Share my number", "request_contact": True}]]
    assert telegram_api.reply_keyboard(ASHA["id"]) is None
    assert telegram_api.last_inline_keyboard(ASHA["id"]) is None
