"""What the fake Bot API server remembers: chats, messages, files, commands, webhook, updates.

Why a separate state object: the method handlers (`telegram_methods`) and the test helpers
(`TelegramApiFake`) read the same facts; keeping them in one plain object makes both sides short
and lets a test inspect the server's view directly.

Rules kept from the real service: a bot can write only to chats it knows (a user must have
started it first, otherwise `chat not found`); a user who blocked the bot answers 403; message
ids count up per chat, shared by the user's and the bot's messages.
"""

from __future__ import annotations

import asyncio
import io
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PIL import Image, UnidentifiedImageError

from testing.fakes.telegram_html import HtmlParseError, parse_html, utf16_len
from testing.fakes.telegram_wire import ApiError, Upload

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_DATA_LIMIT = 64
#: Bots may download files up to 20 MB (getFile answers "file is too big" beyond).
DOWNLOAD_LIMIT = 20 * 1024 * 1024
_FOLDERS = {"image/jpeg": "photos", "image/png": "photos"}


def bot_user_from_token(token: str, username: str) -> dict[str, Any]:
    """The `User` getMe returns: the bot's id is the number before the token's colon."""
    return {
        "id": int(token.split(":", 1)[0]),
        "is_bot": True,
        "first_name": "Arogya",
        "username": username,
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
    }


@dataclass
class BotApiState:
    bot_user: dict[str, Any]
    wall_clock: Callable[[], float]
    chats: dict[int, dict[str, Any]] = field(default_factory=dict)
    users: dict[int, dict[str, Any]] = field(default_factory=dict)
    blocked: set[int] = field(default_factory=set)
    #: chat id -> message id -> Message, the bot's and the users' alike.
    messages: dict[int, dict[int, dict[str, Any]]] = field(default_factory=dict)
    #: (chat id, message id) -> the file uploaded with that message.
    message_uploads: dict[tuple[int, int], Upload] = field(default_factory=dict)
    files: dict[str, Upload] = field(default_factory=dict)
    #: file_id -> the path `getFile` hands out, downloaded at `/file/bot<token>/<path>`.
    file_paths: dict[str, str] = field(default_factory=dict)
    #: chat id -> the reply keyboard the user currently sees (None once removed).
    reply_keyboards: dict[int, dict[str, Any] | None] = field(default_factory=dict)
    #: (scope as canonical JSON, language code) -> commands.
    commands: dict[tuple[str, str], list[dict[str, Any]]] = field(default_factory=dict)
    webhook: dict[str, Any] | None = None
    updates: list[dict[str, Any]] = field(default_factory=list)
    update_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(10_000))
    updates_arrived: asyncio.Event = field(default_factory=asyncio.Event)
    #: callback query id -> the query, until the bot answers it.
    open_callbacks: dict[str, dict[str, Any]] = field(default_factory=dict)
    callback_answers: dict[str, dict[str, Any]] = field(default_factory=dict)
    _last_message_id: dict[int, int] = field(default_factory=dict)
    _file_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    # chats and users ------------------------------------------------------------------------

    def add_user(self, user: dict[str, Any]) -> dict[str, Any]:
        """Register a user and their private chat with the bot (as /start would)."""
        self.users[user["id"]] = user
        chat = {"id": user["id"], "type": "private", "first_name": user["first_name"]}
        for optional in ("last_name", "username"):
            if optional in user:
                chat[optional] = user[optional]
        self.chats.setdefault(user["id"], chat)
        return self.chats[user["id"]]

    def add_group(self, chat_id: int, title: str) -> dict[str, Any]:
        kind = "supergroup" if str(chat_id).startswith("-100") else "group"
        self.chats[chat_id] = {"id": chat_id, "type": kind, "title": title}
        return self.chats[chat_id]

    def writable_chat(self, chat_id: Any) -> dict[str, Any]:
        """The chat a send goes to, refused as the real API refuses it."""
        if not isinstance(chat_id, int):
            raise ApiError.bad_request("chat not found")
        if chat_id in self.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        chat = self.chats.get(chat_id)
        if chat is None:
            raise ApiError.bad_request("chat not found")
        return chat

    # messages -------------------------------------------------------------------------------

    def next_message_id(self, chat_id: int) -> int:
        self._last_message_id[chat_id] = self._last_message_id.get(chat_id, 0) + 1
        return self._last_message_id[chat_id]

    def store_message(
        self, chat_id: int, sender: dict[str, Any], content: dict[str, Any]
    ) -> dict[str, Any]:
        message = {
            "message_id": self.next_message_id(chat_id),
            "from": sender,
            "chat": self.chats[chat_id],
            "date": int(self.wall_clock()),
            **content,
        }
        self.messages.setdefault(chat_id, {})[message["message_id"]] = message
        return message

    def bot_message(self, chat_id: Any, message_id: Any) -> dict[str, Any]:
        """A message the bot may edit."""
        message = self.messages.get(chat_id, {}).get(message_id) if chat_id else None
        if message is None:
            raise ApiError.bad_request("message to edit not found")
        if message["from"]["id"] != self.bot_user["id"]:
            raise ApiError.bad_request("message can't be edited")
        return message

    # text, markup, files --------------------------------------------------------------------

    def formatted(
        self, params: dict[str, Any], *, text_key: str, entities_key: str, limit: int
    ) -> dict[str, Any]:
        """`text`/`caption` after parse mode, with its entities, checked against the limit."""
        source = params.get(text_key) or ""
        entities = params.get(entities_key)
        if params.get("parse_mode") == "HTML" and entities is None:
            try:
                parsed = parse_html(source)
            except HtmlParseError as exc:
                raise ApiError.bad_request(f"can't parse entities: {exc}") from None
            text, entities = parsed.text, parsed.entities
        else:
            text = source  # the fake formats HTML only; other modes are kept as sent
        if utf16_len(text.strip()) > limit:
            what = "message is too long" if text_key == "text" else "message caption is too long"
            raise ApiError.bad_request(what)
        content: dict[str, Any] = {text_key: text} if text else {}
        if entities:
            content[entities_key] = entities
        return content

    def markup(self, chat_id: int, params: dict[str, Any]) -> dict[str, Any]:
        """Check `reply_markup`; an inline keyboard is returned to go into the Message."""
        markup = params.get("reply_markup")
        if markup is None:
            return {}
        if not isinstance(markup, dict):
            raise ApiError.bad_request("can't parse reply keyboard markup JSON object")
        if "inline_keyboard" in markup:
            check_inline_keyboard(markup)
            return {"reply_markup": markup}
        if "keyboard" in markup:
            rows = markup["keyboard"]
            if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
                raise ApiError.bad_request('field "keyboard" must be an Array')
            self.reply_keyboards[chat_id] = markup
        elif markup.get("remove_keyboard"):
            self.reply_keyboards[chat_id] = None
        elif not markup.get("force_reply"):
            raise ApiError.bad_request("can't parse reply keyboard markup JSON object")
        return {}

    def file_for(self, name: str, params: dict[str, Any], uploads: dict[str, Upload]) -> Upload:
        """The file a send refers to: a new upload, or a file_id the server handed out."""
        if name in uploads:
            return uploads[name]
        ref = params.get(name)
        if not ref:
            raise ApiError.bad_request(f"there is no {name} in the request")
        if ref not in self.files:
            raise ApiError.bad_request("wrong file identifier/HTTP URL specified")
        return self.files[ref]

    def file_object(self, upload: Upload) -> dict[str, Any]:
        """A stored file's `file_id`/`file_unique_id` (one id per distinct upload)."""
        file_id = next((fid for fid, known in self.files.items() if known is upload), None)
        if file_id is None:
            file_id = f"FAKE-FILE-{next(self._file_ids):06d}"
            self.files[file_id] = upload
        return {
            "file_id": file_id,
            "file_unique_id": file_id.removeprefix("FAKE-FILE-"),
            "file_size": len(upload.data),
        }

    def file_path(self, file_id: str) -> str:
        """Where a stored file is downloaded from (`photos/file_3.jpg`), fixed on first ask."""
        if file_id not in self.file_paths:
            upload = self.files[file_id]
            folder = _FOLDERS.get(upload.content_type, "documents")
            suffix = "." + upload.filename.rsplit(".", 1)[1] if "." in upload.filename else ""
            self.file_paths[file_id] = f"{folder}/file_{len(self.file_paths) + 1}{suffix}"
        return self.file_paths[file_id]

    def downloadable(self, path: str) -> Upload | None:
        """The file at a path `getFile` handed out (None: no such path)."""
        for file_id, known in self.file_paths.items():
            if known == path:
                return self.files[file_id]
        return None

    def user_file(self, data: bytes, filename: str, content_type: str) -> dict[str, Any]:
        """A file a user sends (a photo, a document): stored, so the bot may download it."""
        return self.file_object(Upload("user", filename, content_type, data))

    def photo_sizes(self, upload: Upload) -> list[dict[str, Any]]:
        """`PhotoSize`s of an uploaded image, refused as the real API refuses a non-image."""
        try:
            with Image.open(io.BytesIO(upload.data)) as image:
                width, height = image.size
        except (UnidentifiedImageError, OSError):
            raise ApiError.bad_request("IMAGE_PROCESS_FAILED") from None
        return [{**self.file_object(upload), "width": width, "height": height}]

    # updates --------------------------------------------------------------------------------

    def new_update(self, **content: Any) -> dict[str, Any]:
        """An update with the next `update_id` (not queued: a webhook test posts it)."""
        return {"update_id": next(self.update_ids), **content}

    def queue_update(self, update: dict[str, Any]) -> dict[str, Any]:
        if "update_id" not in update:
            update = self.new_update(**update)
        self.updates.append(update)
        self.updates_arrived.set()
        return update


def check_inline_keyboard(markup: dict[str, Any]) -> None:
    rows = markup["inline_keyboard"]
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise ApiError.bad_request('field "inline_keyboard" must be an Array of Arrays')
    for row in rows:
        for button in row:
            if not isinstance(button, dict) or not button.get("text"):
                raise ApiError.bad_request('can\'t find field "text"')
            actions = {"callback_data", "url", "switch_inline_query", "web_app", "login_url"}
            if len(actions & button.keys()) != 1:
                raise ApiError.bad_request("BUTTON_TYPE_INVALID")
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= CALLBACK_DATA_LIMIT:
                raise ApiError.bad_request("BUTTON_DATA_INVALID")


def scope_key(scope: Any) -> str:
    """Commands are stored per scope; the scope object in a stable spelling."""
    return json.dumps(scope or {"type": "default"}, sort_keys=True, separators=(",", ":"))
