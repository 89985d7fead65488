"""`GET /dev/sms?phone=...`: the SMS this system sent a phone, for `arogya chat --url` only.

Why it exists: the quick start (`./run serve`, then `arogya chat --url http://127.0.0.1:8080`)
promises to show every SMS the system sends the chatting phone, the OTP included, and a second
process cannot read the first one's outbox otherwise. Why it cannot leak: it is mounted only on
the public development secret key (which `arogya serve` refuses off loopback), and even then it
answers 404, as if absent, to any caller not on this machine (webhooks.guard.development_caller).
With a real secret key the route does not exist.
"""

from __future__ import annotations

from aiohttp import web

from core.errors import ArogyaError
from core.healthid import mobile as mobiles
from core.sms.templates import REPLY_TEMPLATE_KEY
from webhooks.errors import HttpError
from webhooks.guard import development_caller
from webhooks.keys import SERVICES, SETTINGS

PATH = "/dev/sms"


def setup_dev_sms(app: web.Application) -> None:
    """Mount the route on the development secret key only; the app must hold SETTINGS."""
    if app[SETTINGS].uses_dev_secret:
        app.router.add_get(PATH, dev_sms)


async def dev_sms(request: web.Request) -> web.Response:
    """Every SMS sent to `phone`, oldest first, but the replies to its own SMS (the chat shows
    those from the /sms answer): `{"sms": [{"seq": n, "text": ...}, ...]}`."""
    if not development_caller(request, request.app[SETTINGS]):
        raise web.HTTPNotFound()
    try:
        phone = mobiles.parse(request.query.get("phone", ""))
    except (ArogyaError, ValueError) as exc:
        raise HttpError(400, "request.bad_phone", "phone must be a mobile number") from exc
    sent = await request.app[SERVICES].sms.sent_to(phone)
    rows = [
        {"seq": index, "text": row.text}
        for index, row in enumerate(sent)
        if row.message_key != REPLY_TEMPLATE_KEY
    ]
    return web.json_response({"phone": phone, "count": len(sent), "sms": rows})
