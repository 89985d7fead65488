"""The Bot API methods the fake answers, each as the real server answers it.

Each handler takes the server state, the typed parameters and the uploads, and returns the
`result` of `{"ok": true, "result": ...}` or raises `ApiError` with the real description.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from typing import Any

from testing.fakes.telegram_state import (
    CAPTION_LIMIT,
    DOWNLOAD_LIMIT,
    TEXT_LIMIT,
    BotApiState,
    scope_key,
)
from testing.fakes.telegram_wire import ApiError, Upload

Params = dict[str, Any]
Uploads = dict[str, Upload]
Handler = Callable[[BotApiState, Params, Uploads], Awaitable[Any]]

CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
_COMMAND = re.compile(r"^[a-z0-9_]{1,32}$")
_SECRET_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


async def get_me(state: BotApiState, params: Params, uploads: Uploads) -> Any:
    return state.bot_user


async def send_message(state: BotApiState, params: Params, uploads: Uploads) -> Any:
    chat = state.writable_chat(params.get("chat_id"))
    if not (params.get("text") or "").strip():
        raise ApiError.bad_request("message text is empty")
    content = state.formatted(params, text_key="text", entities_key="entities", limit=TEXT_LIMIT)
    if not content.get("text", "").strip():
        raise ApiError.bad_request("message text is empty")
    content.update(state.markup(chat["id"], params))
    return state.store_message(chat["id"], state.bot_user, content)


async def _send_file(state: BotApiState, params: Params, uploads: Uploads, kind: str) -> Any:
    chat = state.writable_chat(params.get("chat_id"))
    upload = state.file_for(kind, params, uploads)
    content = state.formatted(
        params, text_key="caption", entities_key="caption_entities", limit=CAPTION_LIMIT
    )
    if kind == "photo":
        content["photo"] = state.photo_sizes(upload)
    else:
        content["document"] = {
            **state.file_object(upload),
            "file_name": upload.filename,
            "mime_type": upload.content_type,
        }
    content.update(state.markup(chat["id"], params))
    message = state.store_message(chat["id"], state.bot_user, content)
    state.message_uploads[(chat["id"], message["message_id"])] = upload
    return message


async def send_photo(state: BotApiState, params: Params, uploads: Uploads) -> Any:
    return await _send_file(state, params, uploads, "photo")


async def send_document(state: BotApiState, params: Params, uploads: Uploads) -> Any:
    return await _send_file(state, params, uploads, "document")


async def get_file(state: BotApiState, params: Params, uploads: Uploads) -> Any:
    """A `File` with the `file_path` to download it from (`/file/bot<token>/<file_path>`)."""
    file_id = params.get("file_id")
    upload = state.files.get(file_id) if isinstance(file_id, str) else None
    if upload is None:
        raise ApiError.bad_request("invalid file_id")
    if len(upload.data) > DOWNLOAD_LIMIT:
        raise ApiError.bad_request("file is too big")
    return {**state.file_object(upload), "file_path": state.file_path(str(file_id))}


async def send_chat_action(state: BotApiState, params: Params, uploads: Uploads) -> Any:
    state.writable_chat(params.get("chat_id"))
    if params.get("action") not in CHAT_ACTIONS:
        raise ApiError.bad_request("wrong parameter action in request")
    return True


async def answer_callback_query(state: BotApiState, params: Params, uploads: Uploads) -> Any:
    query_id = params.get("callback_query_id")
    if not query_id or query_id not in state.open_callbacks:
        raise ApiError.bad_request(
            "query is too old and response timeout expired or query ID is invalid"
        )
    if len(params.get("text") or "") > 200:
        raise ApiError.bad_request("MESSAGE_TOO_LONG")
    del state.open_callbacks[query_id]
    state.callback_answers[query_id] = params
    return True


def _edited(state: BotApiState, params: Params) -> dict[str, Any]:
    if params.get("inline_message_id"):
        raise ApiError.bad_request("the fake knows no inline messages")
    return state.bot_message(params.get("chat_id"), params.get("message_id"))


def _apply_edit(state: BotApiState, message: dict[str, Any], changes: dict[str, Any]) -> Any:
    keys = ("text", "entities", "caption", "caption_entities", "reply_markup")
    before = {k: message.get(k) for k in keys}
    after = {**before, **changes}
    if before == after:
        raise ApiError.bad_request(
            "message is not modified: specified new message content and reply markup are "
            "exactly the same as a current content and reply markup of the message"
        )
    for key, value in after.items():
        if value is None:
            message.pop(key, None)
        else:
            message[key] = value
    message["edit_date"] = int(state.wall_clock())
    return message


async def edit_message_text(state: BotApiState, params: Params, uploads: Uploads) -> Any:
    message = _edited(state, params)
    if "text" not in message:
        raise ApiError.bad_request("there is no text in the message to edit")
    if not (params.get("text") or "").strip():
        raise ApiError.bad_request("message text is empty")
    content = state.formatted(params, text_key="text", entities_key="entities", limit=TEXT_LIMIT)
    markup = state.markup(message["chat"]["id"], params)
    return _apply_edit(
        state,
        message,
        {
            "text": content["text"],
            "entities": content.get("entities"),
            "reply_markup": markup.get("reply_markup"),
        },
    )


async def edit_message_reply_markup(state: BotApiState, params: Params, uploads: Uploads) -> Any:
    message = _edited(state, params)
    markup = state.markup(message["chat"]["id"], params)
    return _apply_edit(state, message, {"reply_markup": markup.get("reply_markup")})


async def set_my_commands(state: BotApiState, params: Params, uploads: Uploads) -> Any:
    commands = params.get("commands")
    if not isinstance(commands, list) or len(commands) > 100:
        raise ApiError.bad_request("can't parse commands JSON object")
    for command in commands:
        if not isinstance(command, dict) or not _COMMAND.match(str(command.get("command"))):
            raise ApiError.bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(str(command.get("description") or "")) <= 256:
            raise ApiError.bad_request("command description must be non-empty")
    language = params.get("language_code") or ""
    if language and not re.fullmatch(r"[a-z]{2}", language):
        raise ApiError.bad_request("invalid language code specified")
    state.commands[(scope_key(params.get("scope")), language)] = commands
    return True


async def get_my_commands(state: BotApiState, params: Params, uploads: Uploads) -> Any:
    key = (scope_key(params.get("scope")), params.get("language_code") or "")
    return state.commands.get(key, [])


async def delete_my_commands(state: BotApiState, params: Params, uploads: Uploads) -> Any:
    key = (scope_key(params.get("scope")), params.get("language_code") or "")
    state.commands.pop(key, None)
    return True


async def set_webhook(state: BotApiState, params: Params, uploads: Uploads) -> Any:
    url = params.get("url") or ""
    if not url:
        state.webhook = None
        return True
    if not url.startswith("https://"):
        raise ApiError.bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    secret = params.get("secret_token")
    if secret is not None and not _SECRET_TOKEN.match(secret):
        raise ApiError.bad_request("secret token contains unallowed characters")
    if params.get("drop_pending_updates"):
        state.updates.clear()
    state.webhook = {k: v for k, v in params.items() if k != "drop_pending_updates"}
    return True


async def delete_webhook(state: BotApiState, params: Params, uploads: Uploads) -> Any:
    state.webhook = None
    if params.get("drop_pending_updates"):
        state.updates.clear()
    return True


async def get_webhook_info(state: BotApiState, params: Params, uploads: Uploads) -> Any:
    info: dict[str, Any] = {
        "url": (state.webhook or {}).get("url", ""),
        "has_custom_certificate": False,
        "pending_update_count": len(state.updates),
    }
    if state.webhook and "allowed_updates" in state.webhook:
        info["allowed_updates"] = state.webhook["allowed_updates"]
    return info


async def get_updates(state: BotApiState, params: Params, uploads: Uploads) -> Any:
    """Long polling: confirm updates below `offset`, then wait up to `timeout` for new ones."""
    if state.webhook:
        raise ApiError(
            409,
            "Conflict: can't use getUpdates method while webhook is active; "
            "use deleteWebhook to delete the webhook first",
        )
    offset = params.get("offset") or 0
    if offset:
        state.updates[:] = [u for u in state.updates if u["update_id"] >= offset]
    limit = min(max(params.get("limit") or 100, 1), 100)
    timeout = max(params.get("timeout") or 0, 0)
    if not state.updates and timeout:
        state.updates_arrived.clear()
        try:
            await asyncio.wait_for(state.updates_arrived.wait(), timeout)
        except TimeoutError:
            return []
    allowed = params.get("allowed_updates")
    chosen = [u for u in state.updates if not allowed or any(kind in u for kind in allowed)]
    return chosen[:limit]


#: lower-case method name (the API is case-insensitive) -> (documented name, handler).
METHODS: dict[str, tuple[str, Handler]] = {
    name.lower(): (name, handler)
    for name, handler in {
        "getMe": get_me,
        "sendMessage": send_message,
        "sendPhoto": send_photo,
        "sendDocument": send_document,
        "sendChatAction": send_chat_action,
        "getFile": get_file,
        "answerCallbackQuery": answer_callback_query,
        "editMessageText": edit_message_text,
        "editMessageReplyMarkup": edit_message_reply_markup,
        "setMyCommands": set_my_commands,
        "getMyCommands": get_my_commands,
        "deleteMyCommands": delete_my_commands,
        "setWebhook": set_webhook,
        "deleteWebhook": delete_webhook,
        "getWebhookInfo": get_webhook_info,
        "getUpdates": get_updates,
    }.items()
}
