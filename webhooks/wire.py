"""What the gateway webhooks share: field checks, phone numbers, body limits, secrets.

Why one place: a gateway that sends something malformed must get a 4xx with a JSON body
`{"error": {"code", "message"}}` (the same shape as the partner API), never a 500, whichever
channel it called. These checks raise `HttpError` with a text naming what is wrong; the app's
JSON error middleware (`webhooks.errors`) answers it.
"""

from __future__ import annotations

import hmac
import re
from collections.abc import Mapping

import phonenumbers
from aiohttp import web
from multidict import MultiDict, MultiDictProxy

from core.state import StateKey
from webhooks.errors import HttpError

REGION = "IN"
PHONE_CHARS = re.compile(r"\+?[\d\s\-().]{4,30}")
#: No gateway callback is anywhere near this; anything bigger is refused before it is read.
MAX_BODY_BYTES = 64 * 1024
MAX_ID_CHARS = 128


def check_size(request: web.Request) -> None:
    if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
        raise HttpError(413, "request.too_large", f"bodies are limited to {MAX_BODY_BYTES} bytes")


async def read_form(request: web.Request) -> MultiDictProxy[str]:
    """The urlencoded form, or a 400 (wrong content type, undecodable bytes)."""
    check_size(request)
    if request.content_type not in ("application/x-www-form-urlencoded", "multipart/form-data"):
        raise HttpError(400, "request.not_form", "expected a urlencoded form body")
    try:
        form = await request.post()
    except (ValueError, UnicodeDecodeError) as exc:
        raise HttpError(400, "request.malformed", "the form could not be read") from exc
    except web.HTTPRequestEntityTooLarge as exc:
        raise HttpError(413, "request.too_large", "the body is too large") from exc
    # A file part of a multipart form is no text field; it is dropped, not trusted.
    return MultiDictProxy(MultiDict((k, v) for k, v in form.items() if isinstance(v, str)))


def text_field(
    fields: Mapping[str, object], name: str, *, required: bool = True, max_chars: int | None = None
) -> str:
    """A string field; missing (when required), non-text or too long is a 400."""
    value = fields.get(name)
    if value is None:
        if required:
            raise HttpError(400, "request.missing_field", f"{name} is required")
        return ""
    if not isinstance(value, str):
        raise HttpError(400, "request.bad_field", f"{name} must be text")
    if max_chars is not None and (len(value) > max_chars or (required and not value.strip())):
        raise HttpError(400, "request.bad_field", f"{name} must be 1 to {max_chars} characters")
    return value


def e164(raw: str, field: str) -> str:
    """The phone number in E.164 (`+919876543210`), read as Indian when it has no country code.

    Only digits and the usual separators: phonenumbers would dig a number out of any text
    (`whatsapp:+91...`, or letters read as keypad digits), which is not a phone we serve.
    """
    if not PHONE_CHARS.fullmatch(raw):
        raise HttpError(400, "request.bad_phone", f"{field} is not a phone number")
    try:
        number = phonenumbers.parse(raw, REGION)
    except phonenumbers.NumberParseException as exc:
        raise HttpError(400, "request.bad_phone", f"{field} is not a phone number") from exc
    if not phonenumbers.is_valid_number(number):
        raise HttpError(400, "request.bad_phone", f"{field} is not a valid phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def same_secret(given: str | None, expected: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


def delivery_lock_key(channel: str, delivery_id: str) -> str:
    """The lock that makes one delivery's handling and sending happen once."""
    return str(StateKey("delivery", channel, delivery_id))
