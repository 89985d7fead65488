"""Inbound SMS: `POST /sms/twilio` (Twilio's webhook) and `POST /sms` (a plain JSON form).

Both hand the message to the engine as a conversation keyed by the sender's number and send the
reply back through the SMS port (`SmsOut`, the outbox in production), not in the HTTP answer:
Twilio gets empty TwiML, the JSON caller gets a receipt (that includes the text, for tools such
as `arogya chat --url`).

A repeated delivery (same `MessageSid` or `id`) has one effect and one SMS: the delivery's lock
covers "engine, then send, then mark sent", so a retry after a failed send sends the same
reply again, and twenty concurrent copies send it once.

Security: Twilio's `X-Twilio-Signature` (HMAC-SHA1, or SHA-256 when Twilio's signature settings
header says so, of the URL and the sorted form, base64; webhooks.twilio_signature) is checked
with `AROGYA_TWILIO_AUTH_TOKEN`; unset, /sms/twilio is closed (403) but to the development quick
start on loopback (`webhooks.guard`); behind a proxy `AROGYA_PUBLIC_URL` is the URL Twilio
called. `POST /sms` needs `Authorization: Bearer <AROGYA_SMS_API_TOKEN>` and is closed (403)
while that token is unset: it would otherwise let anyone talk as any phone.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
from collections.abc import Iterable
from typing import Any, Protocol

from aiohttp import web

import locales
from core.errors import Unavailable
from core.settings import Settings
from core.sms.encoding import SmsSize, sms_size
from flows.engine import Engine
from flows.types import ConversationKey, Handled, Input
from webhooks import sms_pages
from webhooks import twilio_signature as twilio_signature_
from webhooks.errors import HttpError
from webhooks.guard import closed, development_caller
from webhooks.keys import ENGINE, SETTINGS, SMS_OUT, TRANSLATE
from webhooks.wire import (
    MAX_ID_CHARS,
    check_size,
    delivery_lock_key,
    e164,
    read_form,
    same_secret,
    text_field,
)

log = logging.getLogger(__name__)

CHANNEL = "sms"
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>'
#: How long "this delivery's reply was sent" is remembered (as long as the engine's cache).
SENT_TTL_SECONDS = 60 * 60


class SmsOut(Protocol):
    """The port a reply leaves by: `SmsService.send_text` in production.

    `text` is already rendered (messages and numbered choices in `lang`); `template_key` is the
    reply's first message key, which the outbox maps to a DLT template id. Returns the outbox id.
    """

    async def send_text(self, to: str, text: str, *, lang: str, template_key: str) -> str: ...


def setup_sms(app: web.Application) -> None:
    """Route both inbound forms; the app must hold ENGINE, SETTINGS and SMS_OUT."""
    app.router.add_post("/sms/twilio", twilio_webhook)
    app.router.add_post("/sms", sms_json)


async def twilio_webhook(request: web.Request) -> web.Response:
    settings = request.app[SETTINGS]
    form = await read_form(request)
    verify_twilio(request, settings, form.items())
    sid = text_field(form, "MessageSid", max_chars=MAX_ID_CHARS)
    phone = e164(text_field(form, "From", max_chars=32), "From")
    body = text_field(form, "Body", required=False)
    await converse(request, phone, body, f"twilio:{phone}:{sid}")  # an id is its sender's
    return web.Response(text=EMPTY_TWIML, content_type="text/xml")


async def sms_json(request: web.Request) -> web.Response:
    settings = request.app[SETTINGS]
    _check_bearer(request, settings)
    check_size(request)
    try:
        payload = await request.json()
    except ValueError as exc:
        raise HttpError(400, "request.malformed", "the body is not JSON") from exc
    if not isinstance(payload, dict):
        raise HttpError(400, "request.malformed", "the body must be a JSON object")
    message_id = text_field(payload, "id", max_chars=MAX_ID_CHARS)
    phone = e164(text_field(payload, "from", max_chars=32), "from")
    text_field(payload, "to", required=False, max_chars=32)
    text = text_field(payload, "text", required=False)
    # An id is its sender's: the same id from another phone is a new message, never a replay
    # of someone else's reply.
    handled, sent_text, size = await converse(request, phone, text, f"api:{phone}:{message_id}")
    receipt: dict[str, Any] = {"id": message_id, "duplicate": handled.duplicate, "reply": sent_text}
    if size is not None:
        receipt.update(encoding=str(size.encoding), segments=size.segments)
    return web.json_response(receipt)


async def converse(
    request: web.Request, phone: str, text: str, delivery_id: str
) -> tuple[Handled, str | None, SmsSize | None]:
    """Engine, then send (once per delivery); returns what was said."""
    engine: Engine[Any] = request.app[ENGINE]
    outbox = request.app[SMS_OUT]
    translate = request.app.get(TRANSLATE, locales.translate)
    store = engine.state
    sent_key = f"sent:{delivery_lock_key(CHANNEL, delivery_id)}"
    key = ConversationKey(CHANNEL, phone)
    pager = sms_pages.sms_pager(translate, request.app[SETTINGS].sms_max_segments)
    try:
        async with store.lock(delivery_lock_key(CHANNEL, delivery_id)):
            async with engine.conversation(key) as convo:
                handled, rendered = await sms_pages.answer(
                    convo, Input(text=text, delivery_id=delivery_id), pager
                )
            reply = handled.reply
            if not (reply.messages or reply.choices):
                return handled, None, None  # an opted-out number: say nothing
            size = sms_size(rendered)
            sent = await store.get_json(sent_key)
            if sent is None:
                first = reply.messages[0] if reply.messages else reply.choices[0].label
                await _send(outbox, phone, rendered, reply.lang, first.key)
                await store.set_json(sent_key, rendered, SENT_TTL_SECONDS)
                log.info(
                    "sms reply for %s: %d segment(s), %s", delivery_id, size.segments, size.encoding
                )
            else:
                rendered = str(sent)  # a repeated delivery: the same text, not sent again
                size = sms_size(rendered)
            return handled, rendered, size
    except (Unavailable, TimeoutError) as exc:
        log.warning("sms %s not handled: %r", delivery_id, exc)
        raise HttpError(503, "service.unavailable", "please retry shortly") from exc


async def _send(outbox: SmsOut, phone: str, text: str, lang: str, template_key: str) -> None:
    try:
        await outbox.send_text(phone, text, lang=lang, template_key=template_key)
    except Exception as exc:  # the outbox's store is down: the sender retries, we send then
        log.exception("sms reply to %s could not be queued", phone)
        raise HttpError(503, "service.unavailable", "please retry shortly") from exc


def _check_bearer(request: web.Request, settings: Settings) -> None:
    if settings.sms_api_token is None:
        if development_caller(request, settings):
            return  # the quick start on this machine, as /ussd and /sms/twilio (webhooks.guard)
        raise HttpError(403, "sms.api_closed", "POST /sms is closed: no API token is configured")
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    expected = settings.sms_api_token.get_secret_value()
    if scheme.lower() != "bearer" or not same_secret(token, expected):
        raise HttpError(401, "sms.unauthorised", "missing or wrong bearer token")


def twilio_signature(auth_token: str, url: str, params: Iterable[tuple[str, str]]) -> str:
    """Twilio's request signature: base64(HMAC-SHA1(token, url + name1 + value1 + ...)), the
    parameters sorted by name."""
    payload = url + "".join(name + value for name, value in sorted(params))
    mac = hmac.new(auth_token.encode(), payload.encode(), hashlib.sha1)
    return base64.b64encode(mac.digest()).decode()


def verify_twilio(
    request: web.Request, settings: Settings, params: Iterable[tuple[str, str]]
) -> None:
    """SHA-1 or SHA-256, the URL with or without `:443` (webhooks.twilio_signature)."""
    if settings.twilio_auth_token is None:
        if development_caller(request, settings):
            return  # the quick start on this machine (webhooks.guard)
        raise closed("/sms/twilio", "sms.twilio_closed", "AROGYA_TWILIO_AUTH_TOKEN")
    base = settings.public_url.rstrip("/") if settings.public_url else None
    url = f"{base}{request.path_qs}" if base else str(request.url)
    header = request.headers.get(twilio_signature_.SETTINGS_HEADER)
    key = settings.twilio_auth_token
    if header is not None and settings.twilio_webhook_signing_key is not None:
        key = settings.twilio_webhook_signing_key  # a SharedKey signs the newer signatures
    signature = request.headers.get(twilio_signature_.SIGNATURE_HEADER)
    if not twilio_signature_.verify(key.get_secret_value(), url, list(params), signature, header):
        raise HttpError(403, "sms.bad_signature", "X-Twilio-Signature does not match")
