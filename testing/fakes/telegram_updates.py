"""Updates as Telegram sends them, built against the fake's state so ids stay consistent.

Why build them here: a user's message takes the next message id of its chat (shared with the
bot's messages), a callback query must carry an id the server will later accept in
`answerCallbackQuery`, and a command carries a `bot_command` entity. Building updates through
the fake keeps those facts true whether a test queues them for `getUpdates` or posts them to
the webhook.
"""

from __future__ import annotations

import io
import itertools
from typing import Any

from PIL import Image

from testing.fakes.telegram_api import TelegramApiFake
from testing.fakes.telegram_html import utf16_len


def user(
    user_id: int,
    first_name: str = "Asha",
    *,
    language_code: str | None = "en",
    last_name: str | None = None,
    username: str | None = None,
) -> dict[str, Any]:
    """A Telegram `User` who is a person, not a bot."""
    person: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
    optional = {"language_code": language_code, "last_name": last_name, "username": username}
    person.update({k: v for k, v in optional.items() if v is not None})
    return person


def thumbnail(jpeg: bytes, side: int = 90) -> bytes:
    """The small JPEG Telegram makes of a photo (the first of its sizes)."""
    with Image.open(io.BytesIO(jpeg)) as image:
        image.thumbnail((side, side))
        out = io.BytesIO()
        image.convert("RGB").save(out, format="JPEG")
    return out.getvalue()


class UpdateFactory:
    def __init__(self, api: TelegramApiFake) -> None:
        self._api = api
        self._state = api.state
        self._callback_ids = itertools.count(1)

    def _message(
        self, sender: dict[str, Any], chat: dict[str, Any] | None, content: dict[str, Any]
    ) -> dict[str, Any]:
        if chat is None:
            chat = self._api.add_user(sender)
        else:
            self._state.users.setdefault(sender["id"], sender)
        return self._state.store_message(chat["id"], sender, content)

    def text(
        self, sender: dict[str, Any], text: str, *, chat: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """A text message; a leading `/command` gets its `bot_command` entity."""
        content: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            command = text.split()[0]
            entity = {"type": "bot_command", "offset": 0, "length": utf16_len(command)}
            content["entities"] = [entity]
        return self._state.new_update(message=self._message(sender, chat, content))

    def contact(
        self, sender: dict[str, Any], phone_number: str, *, owner_id: int | None = None
    ) -> dict[str, Any]:
        """A shared contact; `owner_id` is the contact's Telegram user (the sender's own by
        default, as the `request_contact` button sends it)."""
        contact: dict[str, Any] = {
            "phone_number": phone_number,
            "first_name": sender["first_name"],
            "user_id": sender["id"] if owner_id is None else owner_id,
        }
        return self._state.new_update(message=self._message(sender, None, {"contact": contact}))

    def sticker(self, sender: dict[str, Any]) -> dict[str, Any]:
        sticker = {
            "file_id": "CAACAgIAAxkBAAEFAKE",
            "file_unique_id": "AgADFAKE",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": "👍",
        }
        return self._state.new_update(message=self._message(sender, None, {"sticker": sticker}))

    def photo(
        self, sender: dict[str, Any], caption: str | None = None, *, jpeg: bytes | None = None
    ) -> dict[str, Any]:
        """A photo. With `jpeg`, as Telegram sends one: the server keeps the image (the bot may
        download it) and a thumbnail, and the message lists both sizes, smallest first."""
        if jpeg is None:
            sizes = [
                {
                    "file_id": "AgACAgIAAxkBAAFAKE",
                    "file_unique_id": "AQADFAKE",
                    "width": 90,
                    "height": 90,
                    "file_size": 1500,
                }
            ]
        else:
            sizes = [self._photo_size(thumbnail(jpeg)), self._photo_size(jpeg)]
        content: dict[str, Any] = {"photo": sizes}
        if caption:
            content["caption"] = caption
        return self._state.new_update(message=self._message(sender, None, content))

    def _photo_size(self, jpeg: bytes) -> dict[str, Any]:
        with Image.open(io.BytesIO(jpeg)) as image:
            width, height = image.size
        stored = self._state.user_file(jpeg, "photo.jpg", "image/jpeg")
        return {**stored, "width": width, "height": height}

    def voice(self, sender: dict[str, Any]) -> dict[str, Any]:
        voice = {
            "file_id": "AwACAgIAAxkBAAFAKE",
            "file_unique_id": "AgADVOICE",
            "duration": 3,
            "mime_type": "audio/ogg",
        }
        return self._state.new_update(message=self._message(sender, None, {"voice": voice}))

    def document(
        self,
        sender: dict[str, Any],
        file_name: str = "report.pdf",
        *,
        mime_type: str = "application/pdf",
        data: bytes | None = None,
        caption: str | None = None,
    ) -> dict[str, Any]:
        """A file. With `data`, the server keeps it, so the bot may download it."""
        if data is None:
            stored = {
                "file_id": "BQACAgIAAxkBAAFAKE",
                "file_unique_id": "AgADDOC",
                "file_size": 2048,
            }
        else:
            stored = self._state.user_file(data, file_name, mime_type)
        document = {**stored, "file_name": file_name, "mime_type": mime_type}
        content: dict[str, Any] = {"document": document}
        if caption:
            content["caption"] = caption
        return self._state.new_update(message=self._message(sender, None, content))

    def edited_text(
        self, sender: dict[str, Any], message: dict[str, Any], text: str
    ) -> dict[str, Any]:
        """The user edited one of their earlier messages."""
        edited = {**message, "text": text, "edit_date": int(self._state.wall_clock())}
        self._state.messages[message["chat"]["id"]][message["message_id"]] = edited
        return self._state.new_update(edited_message=edited)

    def callback(
        self, sender: dict[str, Any], message: dict[str, Any], data: str
    ) -> dict[str, Any]:
        """A press on an inline button of `message` (a bot message); the query id is live
        until the bot answers it."""
        query_id = f"{sender['id']}{next(self._callback_ids):08d}"
        query = {
            "id": query_id,
            "from": sender,
            "message": message,
            "chat_instance": f"-{message['chat']['id']}",
            "data": data,
        }
        self._state.open_callbacks[query_id] = query
        return self._state.new_update(callback_query=query)
