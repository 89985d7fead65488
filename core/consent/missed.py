"""Callbacks an HIU will never receive, kept visible to it.

Why: a callback the HIU answered with a 4xx (other than 408/425/429), or one that ran out of
attempts, is not sent again (core.consent.callbacks). Dropping it silently would leave the
facility believing a request is still REQUESTED; instead it can list what it missed with the
very payload it would have received, and read the current state with GET.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from core.consent.models import CallbackStatus, ConsentCallback

MISSED_LIMIT = 100


@dataclass(frozen=True, slots=True)
class MissedEvent:
    id: str
    consent_request_id: str
    event: str
    payload: dict[str, Any]
    attempts: int
    last_error: str | None
    created_at: datetime


async def missed_events(hiu_id: str, limit: int = MISSED_LIMIT) -> list[MissedEvent]:
    """The HIU's callbacks that failed for good, newest first."""
    rows = (
        await ConsentCallback.filter(hiu_id=hiu_id, status=CallbackStatus.FAILED)
        .select_related("request")
        .order_by("-seq")
        .limit(limit)
    )
    return [
        MissedEvent(
            id=row.id,
            consent_request_id=row.request.id,
            event=row.event.value,
            payload=dict(row.payload),
            attempts=row.attempts,
            last_error=row.last_error,
            created_at=row.created_at,
        )
        for row in rows
    ]
