"""`GET /api/v1/hiu/missed-events`: the consent callbacks this HIU will never receive.

A callback its server answered with a 4xx (other than 408/425/429), or that ran out of
attempts, is listed here with the exact payload (and the request's id), newest first, so a
facility whose endpoint was misconfigured learns what it missed (core.consent.missed).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from aiohttp import web
from pydantic import BaseModel, Field, WithJsonSchema

from core.consent.missed import missed_events
from core.errors import InvalidInput
from webhooks.api import present
from webhooks.api.auth import require_facility
from webhooks.api.schemas import Body

Payload = Annotated[
    dict[str, Any],
    WithJsonSchema(
        {
            "type": "object",
            "description": "The callback body, exactly as it would "
            "have been POSTed (ABDM's HIUConsentNotificationEvent).",
        }
    ),
]


class MissedEvent(Body):
    id: str = Field(description="The event id (X-Arogya-Event-Id; the payload's requestId).")
    consentRequestId: str
    event: str = Field(description="The status the callback announced.")
    attempts: int
    lastError: str | None = Field(description="Why it stopped, e.g. `HTTP 400`.")
    createdAt: dt.datetime
    payload: Payload


class MissedEvents(Body):
    """Callbacks that failed for good, newest first (at most 100)."""

    items: list[MissedEvent]


RESPONSES: tuple[type[BaseModel], ...] = (MissedEvents,)


async def list_missed(request: web.Request) -> web.Response:
    facility = await require_facility(request)
    for name in request.query:  # it takes none: a filter silently ignored would mislead
        raise InvalidInput("request.unknown_parameter", field=name)
    events = await missed_events(facility.id)
    body = MissedEvents(
        items=[
            MissedEvent(
                id=e.id,
                consentRequestId=e.consent_request_id,
                event=e.event,
                attempts=e.attempts,
                lastError=e.last_error,
                createdAt=e.created_at,
                payload=e.payload,
            )
            for e in events
        ]
    )
    return present.reply(body, headers={"Cache-Control": "no-store"})
