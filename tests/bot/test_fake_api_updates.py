"""The Telegram fake's incoming side against a real aiogram Bot: callbacks, edits, long
polling, the webhook switch, and clients that encode requests differently from aiogram."""

from __future__ import annotations

import asyncio
import html

import aiohttp
import pytest
from aiogram import Bot, Dispatcher
from aiogram.exceptions import TelegramBadRequest, TelegramConflictError
from aiogram.types import Message

from testing.fakes.telegram_api import TelegramApiFake
from testing.fakes.telegram_updates import UpdateFactory
from tests.bot.helpers import ASHA, keyboard


async def test_edits_and_callback_answers(telegram_api: TelegramApiFake, telegram_bot: Bot) -> None:
    updates = UpdateFactory(telegram_api)
    sent = await _started(telegram_api, telegram_bot, updates)
    press = updates.callback(ASHA, telegram_api.last_sent(ASHA["id"]), "s1:en")
    query_id = press["callback_query"]["id"]

    assert await telegram_bot.answer_callback_query(query_id, text="OK") is True
    edited = await telegram_bot.edit_message_text(
        "Language: <i>English</i>", chat_id=ASHA["id"], message_id=sent.message_id
    )

    assert telegram_api.callback_answer(query_id) == {"callback_query_id": query_id, "text": "OK"}
    assert not isinstance(edited, bool)
    assert edited.text == "Language: English"
    assert edited.edit_date is not None
    assert telegram_api.last_inline_keyboard(ASHA["id"]) is None  # an edit without markup drops it
    with pytest.raises(TelegramBadRequest, match="query is too old"):
        await telegram_bot.answer_callback_query(query_id)
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await telegram_bot.edit_message_text(
            "Language: <i>English</i>", chat_id=ASHA["id"], message_id=sent.message_id
        )
    with pytest.raises(TelegramBadRequest, match="message can't be edited"):
        await telegram_bot.edit_message_text("x", chat_id=ASHA["id"], message_id=1)


async def test_edit_reply_markup_replaces_only_the_keyboard(
    telegram_api: TelegramApiFake, telegram_bot: Bot
) -> None:
    sent = await _started(telegram_api, telegram_bot, UpdateFactory(telegram_api))

    await telegram_bot.edit_message_reply_markup(
        chat_id=ASHA["id"], message_id=sent.message_id, reply_markup=keyboard([("Back", "back")])
    )

    assert telegram_api.last_sent(ASHA["id"])["text"] == "Choose a language"
    assert telegram_api.last_inline_keyboard(ASHA["id"]) == [
        [{"text": "Back", "callback_data": "back"}]
    ]
    with pytest.raises(TelegramBadRequest, match="message to edit not found"):
        await telegram_bot.edit_message_reply_markup(chat_id=ASHA["id"], message_id=99)


async def _started(api: TelegramApiFake, bot: Bot, updates: UpdateFactory) -> Message:
    """Asha has sent /start (message 1); the bot answered with a language menu (message 2)."""
    updates.text(ASHA, "/start")
    return await bot.send_message(
        ASHA["id"], "Choose a language", reply_markup=keyboard([("English", "s1:en")])
    )


async def test_get_updates_long_polls_and_offset_confirms(
    telegram_api: TelegramApiFake, telegram_bot: Bot
) -> None:
    updates = UpdateFactory(telegram_api)
    first = telegram_api.queue_update(updates.text(ASHA, "/start"))

    got = await telegram_bot.get_updates(timeout=5)
    waiting = asyncio.create_task(telegram_bot.get_updates(offset=got[-1].update_id + 1, timeout=5))
    await asyncio.sleep(0.05)
    assert not waiting.done()  # nothing new yet: the request is held open
    second = telegram_api.queue_update(updates.text(ASHA, "hello"))
    later = await asyncio.wait_for(waiting, timeout=5)

    assert [u.update_id for u in got] == [first["update_id"]]
    assert got[0].message is not None
    assert got[0].message.text == "/start"
    assert [u.update_id for u in later] == [second["update_id"]]
    assert later[0].message is not None
    assert later[0].message.message_id == 2
    assert await telegram_bot.get_updates(offset=second["update_id"] + 1, timeout=0) == []


async def test_webhook_and_polling_exclude_each_other(
    telegram_api: TelegramApiFake, telegram_bot: Bot
) -> None:
    await telegram_bot.set_webhook(
        "https://arogya.example/telegram/webhook",
        secret_token="s3cr3t-Token_1",
        allowed_updates=["message", "callback_query"],
    )

    assert telegram_api.webhook == {
        "url": "https://arogya.example/telegram/webhook",
        "secret_token": "s3cr3t-Token_1",
        "allowed_updates": ["message", "callback_query"],
    }
    with pytest.raises(TelegramConflictError, match="webhook is active"):
        await telegram_bot.get_updates(timeout=0)
    with pytest.raises(TelegramBadRequest, match="HTTPS URL must be provided"):
        await telegram_bot.set_webhook("http://arogya.example/telegram/webhook")
    with pytest.raises(TelegramBadRequest, match="unallowed characters"):
        await telegram_bot.set_webhook("https://arogya.example/hook", secret_token="has space")
    assert (await telegram_bot.get_webhook_info()).url == "https://arogya.example/telegram/webhook"

    assert await telegram_bot.delete_webhook(drop_pending_updates=True) is True
    assert telegram_api.webhook is None
    assert await telegram_bot.get_updates(timeout=0) == []


async def test_other_clients_encodings_and_unknown_methods(telegram_api: TelegramApiFake) -> None:
    """JSON bodies and query strings work as on the real server; typos answer 404."""
    telegram_api.add_user(ASHA)
    base = f"{telegram_api.base_url}/bot{telegram_api.token}"
    markup = {"inline_keyboard": [[{"text": "OK", "callback_data": "ok"}]]}
    async with aiohttp.ClientSession() as http:
        async with http.post(
            f"{base}/SENDMESSAGE",
            json={"chat_id": ASHA["id"], "text": "hi", "reply_markup": markup},
        ) as response:
            by_json = await response.json()
        async with http.get(
            f"{base}/sendMessage", params={"chat_id": ASHA["id"], "text": "yo"}
        ) as response:
            by_query = await response.json()
        async with http.post(f"{base}/sendMesage", data={"chat_id": "1"}) as response:
            typo = (response.status, await response.json())

    assert by_json["result"]["reply_markup"] == markup
    assert by_query["result"]["text"] == "yo"
    assert typo == (404, {"ok": False, "error_code": 404, "description": "Not Found"})
    assert [c.method for c in telegram_api.calls()] == ["sendMessage", "sendMessage", "sendMesage"]


async def test_a_polling_dispatcher_receives_queued_updates_and_answers(
    telegram_api: TelegramApiFake, telegram_bot: Bot
) -> None:
    """aiogram's own polling loop (getMe, getUpdates with offsets) runs against the fake."""
    answered = asyncio.Event()
    dispatcher = Dispatcher()

    @dispatcher.message()
    async def shout(message: Message) -> None:
        await message.answer(html.escape((message.text or "").upper()))
        answered.set()

    queued = telegram_api.queue_update(UpdateFactory(telegram_api).text(ASHA, "namaste <3"))
    polling = asyncio.create_task(
        dispatcher.start_polling(
            telegram_bot, polling_timeout=1, handle_signals=False, close_bot_session=False
        )
    )
    await asyncio.wait_for(answered.wait(), timeout=5)
    await dispatcher.stop_polling()
    await asyncio.wait_for(polling, timeout=5)

    assert telegram_api.texts(ASHA["id"]) == ["NAMASTE <3"]
    first_poll = telegram_api.calls("getUpdates")[0]
    assert [u["update_id"] for u in first_poll.response["result"]] == [queued["update_id"]]
