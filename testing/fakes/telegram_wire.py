"""The Bot API's request and error formats, as the fake reads and writes them.

Why this is careful: aiogram (`AiohttpSession.build_form_data`) posts every method as a form,
url-encoded when there is no file and multipart when there is one. Scalars arrive as strings
(`chat_id=42`, `disable_notification=true`), nested objects (`reply_markup`, `entities`,
`commands`, `scope`) as JSON strings, and an uploaded file as a multipart part that a field
points at with `attach://<part name>`. Other clients post JSON or use a query string; the real
server accepts all of these, and so does the fake.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from aiohttp import web

#: Fields the API takes as JSON-serialised objects or arrays.
JSON_FIELDS = frozenset(
    {
        "reply_markup",
        "entities",
        "caption_entities",
        "commands",
        "scope",
        "allowed_updates",
        "link_preview_options",
        "reply_parameters",
        "media",
    }
)
#: Fields the API takes as integers (`chat_id` may also be `@channelusername`).
INT_FIELDS = frozenset(
    {
        "chat_id",
        "message_id",
        "from_chat_id",
        "user_id",
        "offset",
        "limit",
        "timeout",
        "cache_time",
        "message_thread_id",
        "max_connections",
        "reply_to_message_id",
    }
)
#: Fields the API takes as booleans (`true`/`false`, also `1`/`0`).
BOOL_FIELDS = frozenset(
    {
        "disable_notification",
        "protect_content",
        "show_alert",
        "drop_pending_updates",
        "has_spoiler",
        "disable_content_type_detection",
        "allow_sending_without_reply",
        "show_caption_above_media",
        "allow_paid_broadcast",
    }
)
#: Readable names in "can't parse ... JSON object" errors, as the real server words them.
_JSON_NAMES = {"reply_markup": "reply keyboard markup", "entities": "entities"}


@dataclass(frozen=True)
class Upload:
    """A file sent in a multipart part; `data` is kept so a test can decode it."""

    name: str
    filename: str
    content_type: str
    data: bytes


class ApiError(Exception):
    """An answer `{"ok": false, ...}` with the real server's status and description."""

    def __init__(
        self, error_code: int, description: str, parameters: dict[str, Any] | None = None
    ) -> None:
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.parameters = parameters

    @classmethod
    def bad_request(cls, detail: str) -> ApiError:
        return cls(400, f"Bad Request: {detail}")

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.error_code,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def _decode(name: str, value: Any) -> Any:
    """One parameter to its API type; strings from a form, or values already typed by JSON."""
    if name in JSON_FIELDS and isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            label = _JSON_NAMES.get(name, name.replace("_", " "))
            raise ApiError.bad_request(f"can't parse {label} JSON object") from None
    if name in INT_FIELDS and isinstance(value, str):
        if name == "chat_id" and value.startswith("@"):
            return value
        try:
            return int(value)
        except ValueError:
            if name == "chat_id":
                raise ApiError.bad_request("chat not found") from None
            raise ApiError.bad_request(f"invalid {name} specified") from None
    if name in BOOL_FIELDS and isinstance(value, str):
        return value.lower() in ("true", "1")
    return value


async def read_parameters(request: web.Request) -> tuple[dict[str, Any], dict[str, Upload]]:
    """Typed parameters and uploads of one API call, whatever the body encoding."""
    raw: dict[str, Any] = dict(request.query)
    parts: dict[str, Upload] = {}
    if request.content_type == "application/json":
        body = await request.json()
        if not isinstance(body, dict):
            raise ApiError.bad_request("request body must be a JSON object")
        raw.update(body)
    elif request.can_read_body:
        form = await request.post()
        for name, value in form.items():
            if isinstance(value, web.FileField):
                parts[name] = Upload(
                    name=name,
                    filename=value.filename,
                    content_type=value.content_type,
                    data=value.file.read(),
                )
            else:
                raw[name] = value
    params = {name: _decode(name, value) for name, value in raw.items()}
    uploads: dict[str, Upload] = {}
    for name, value in list(params.items()):
        if isinstance(value, str) and value.startswith("attach://"):
            attach_name = value.removeprefix("attach://")
            part = parts.get(attach_name)
            if part is None:
                raise ApiError.bad_request(f"file attach://{attach_name} not found in the request")
            uploads[name] = part
            del params[name]
    for name, part in parts.items():
        if name not in params and not any(u is part for u in uploads.values()):
            uploads[name] = part  # a file posted directly under the field's own name
    return params, uploads
