"""Console sessions: opened at sign-in, found by cookie token, ended by time or sign-out.

Rules: a session lives at most `lifetime` (12 h) and dies after `idle` (30 min) without a
request; each carries its own CSRF token and the officer's language. The cookie holds a random
256-bit token; the table holds only its SHA-256, so reading the table does not let anyone act as
an officer. A fresh token is issued at every sign-in, so a token planted before sign-in (session
fixation) is worthless.
"""

from __future__ import annotations

import base64
import hashlib
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from core.clock import Clock
from core.professionals.models import OfficerSession
from core.professionals.officers import OfficerIdentity

DEFAULT_IDLE = timedelta(minutes=30)
DEFAULT_LIFETIME = timedelta(hours=12)
#: `last_seen_at` is written at most this often, so reading pages is not a write per request.
TOUCH_EVERY = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class ConsoleSession:
    officer: OfficerIdentity
    csrf_token: str
    language: str
    expires_at: datetime


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class OfficerSessions:
    def __init__(
        self,
        clock: Clock,
        rng: random.Random,
        *,
        idle: timedelta = DEFAULT_IDLE,
        lifetime: timedelta = DEFAULT_LIFETIME,
    ) -> None:
        self._clock = clock
        self._rng = rng
        self._idle = idle
        self._lifetime = lifetime

    async def open(self, officer: OfficerIdentity, language: str) -> tuple[str, ConsoleSession]:
        """A new session; returns the cookie token (shown once, never stored) and the session."""
        now = self._clock.now()
        await OfficerSession.filter(expires_at__lte=now).delete()
        token = base64.urlsafe_b64encode(self._rng.randbytes(32)).decode().rstrip("=")
        row = await OfficerSession.create(
            token_hash=token_hash(token),
            officer_id=officer.officer_id,
            csrf_token=self._rng.randbytes(24).hex(),
            language=language,
            created_at=now,
            last_seen_at=now,
            expires_at=now + self._lifetime,
        )
        return token, ConsoleSession(officer, row.csrf_token, row.language, row.expires_at)

    async def resolve(self, token: str) -> ConsoleSession | None:
        """The live session for a cookie token, else None (an ended one is deleted)."""
        if not token or len(token) > 64:
            return None
        row = await OfficerSession.get_or_none(token_hash=token_hash(token)).select_related(
            "officer"
        )
        if row is None:
            return None
        now = self._clock.now()
        officer = row.officer
        if now >= row.expires_at or now >= row.last_seen_at + self._idle or not officer.active:
            await row.delete()
            return None
        if now - row.last_seen_at >= TOUCH_EVERY:
            await OfficerSession.filter(token_hash=row.token_hash).update(last_seen_at=now)
        identity = OfficerIdentity(officer.id, officer.username, officer.council)
        return ConsoleSession(identity, row.csrf_token, row.language, row.expires_at)

    async def set_language(self, token: str, language: str) -> None:
        await OfficerSession.filter(token_hash=token_hash(token)).update(language=language)

    async def close(self, token: str) -> None:
        await OfficerSession.filter(token_hash=token_hash(token)).delete()
