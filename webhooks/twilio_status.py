"""`POST /sms/twilio/status`: Twilio's delivery reports for the SMS we sent through it.

Signed like every Twilio webhook (webhooks.sms, webhooks.twilio_signature). The URL's `id` is
our outbox id (core.sms.twilio). A message Twilio could not deliver (`failed`, `undelivered`)
is logged at WARNING with Twilio's ErrorCode, so an operator sees a number that stopped
receiving; the others at DEBUG. The answer is 204: Twilio wants no body.
"""

from __future__ import annotations

import logging

from aiohttp import web

from webhooks.errors import HttpError
from webhooks.keys import SETTINGS
from webhooks.sms import verify_twilio
from webhooks.wire import read_form

log = logging.getLogger(__name__)

STATUSES = frozenset(
    {
        "accepted",
        "scheduled",
        "queued",
        "sending",
        "sent",
        "delivered",
        "undelivered",
        "failed",
        "read",
        "canceled",
        "receiving",
        "received",
    }
)
FAILED = frozenset({"failed", "undelivered"})


def setup_twilio_status(app: web.Application) -> None:
    app.router.add_post("/sms/twilio/status", twilio_status)


async def twilio_status(request: web.Request) -> web.Response:
    form = await read_form(request)
    verify_twilio(request, request.app[SETTINGS], form.items())
    status = form.get("MessageStatus", "")
    if status not in STATUSES:
        raise HttpError(400, "sms.bad_request", "MessageStatus is missing or unknown")
    outbox_id = request.query.get("id", "?")[:64]
    if status in FAILED:
        log.warning(
            "sms %s %s by twilio (error %s)", outbox_id, status, form.get("ErrorCode", "-")[:16]
        )
    else:
        log.debug("sms %s %s", outbox_id, status)
    return web.Response(status=204)
