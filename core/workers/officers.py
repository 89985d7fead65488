"""Officers who verify health workers: accounts (made by `arogya admin`), sign-in, sessions.

Why not the council's officers: a council officer decides doctors of one State Medical Council;
a worker officer speaks for one facility (HFR id) or one district (LGD code). Sharing the table
would let one kind act on the other's queue. The rules are the council console's, reused:
passwords are salted scrypt (`core.professionals.passwords`), a burst of wrong passwords locks
the account with each attempt claimed by a compare-and-set before it is checked (so at most
`max_failures` checks are ever in flight), an unknown username costs a full hash, the session
cookie's token is kept only as its SHA-256 (`core.professionals.sessions.token_hash`), sessions
end after 12 hours or 30 idle minutes and carry their own CSRF token.
"""

from __future__ import annotations

import base64
import math
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.exceptions import IntegrityError

from core.audit.service import AuditLog
from core.clock import Clock
from core.errors import Conflict, Forbidden, InvalidInput, Locked, NotFound
from core.facilities import ids as facility_ids
from core.professionals.officers import check_password_strength, parse_username
from core.professionals.passwords import hash_password_async, password_matches_async
from core.professionals.sessions import token_hash
from core.workers.models import WorkerOfficer, WorkerOfficerSession

DEFAULT_HASH_COST = 2**14
MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)
IDLE = timedelta(minutes=30)
LIFETIME = timedelta(hours=12)


@dataclass(frozen=True, slots=True)
class OfficerIdentity:
    officer_id: int
    username: str
    facility_id: str | None
    district_lgd: int | None

    @property
    def actor(self) -> str:
        """The audit actor: `workers-officer:IN0910000001:meena` or `workers-officer:d146:...`."""
        place = self.facility_id or f"d{self.district_lgd}"
        return f"workers-officer:{place}:{self.username}"

    def serves(self, facility_id: str | None, district_lgd: int) -> bool:
        """A facility's officer decides that facility's workers; a district's, the district's."""
        if self.facility_id is not None:
            return facility_id == self.facility_id
        return district_lgd == self.district_lgd


@dataclass(frozen=True, slots=True)
class WorkerConsoleSession:
    officer: OfficerIdentity
    csrf_token: str
    language: str
    expires_at: datetime


def _identity(row: WorkerOfficer) -> OfficerIdentity:
    return OfficerIdentity(row.id, row.username, row.facility_id, row.district_lgd)


def _wait(now: datetime, until: datetime) -> dict[str, object]:
    return {
        "until": until.isoformat(),
        "minutes": max(1, math.ceil((until - now).total_seconds() / 60)),
    }


class WorkerOfficers:
    def __init__(
        self,
        clock: Clock,
        rng: random.Random,
        audit: AuditLog,
        *,
        hash_cost: int = DEFAULT_HASH_COST,
    ) -> None:
        self._clock = clock
        self._rng = rng
        self._audit = audit
        self._hash_cost = hash_cost
        self._decoy: str | None = None

    # -- accounts ------------------------------------------------------------------------------

    async def create(
        self,
        username: str,
        password: str,
        *,
        facility_id: str | None = None,
        district_lgd: int | None = None,
        actor: str = "system",
    ) -> OfficerIdentity:
        """Errors: `officer.invalid` (field), `officer.exists`."""
        from core.workers.service import parse_district

        if (facility_id is None) == (district_lgd is None):
            raise InvalidInput("officer.invalid", field="place")
        if facility_id is not None and not facility_ids.is_valid(facility_id):
            raise InvalidInput("officer.invalid", field="facility")
        district = None if district_lgd is None else parse_district(str(district_lgd))
        name = parse_username(username)
        check_password_strength(password)
        hashed = await hash_password_async(password, self._rng, cost=self._hash_cost)
        try:
            row = await WorkerOfficer.create(
                username=name,
                facility_id=facility_id,
                district_lgd=district,
                password_hash=hashed,
                created_at=self._clock.now(),
            )
        except IntegrityError as exc:
            raise Conflict("officer.exists", username=name) from exc
        identity = _identity(row)
        await self._audit.record(
            "worker.officer_created", actor=actor, subject=identity.actor, channel="cli"
        )
        return identity

    async def deactivate(self, username: str, *, actor: str = "system") -> None:
        name = parse_username(username)
        row = await WorkerOfficer.get_or_none(username=name)
        if row is None or not await WorkerOfficer.filter(id=row.id).update(active=False):
            raise NotFound("officer.not_found", username=name)
        await WorkerOfficerSession.filter(officer_id=row.id).delete()
        await self._audit.record(
            "worker.officer_deactivated", actor=actor, subject=f"officer:{name}", channel="cli"
        )

    async def authenticate(self, username: str, password: str) -> OfficerIdentity:
        """Errors: `officer.bad_credentials`, `officer.locked` (until, minutes)."""
        name = username.strip().lower()
        while True:
            now = self._clock.now()
            row = await WorkerOfficer.get_or_none(username=name, active=True)
            if row is None:
                await password_matches_async(password, await self._decoy_hash())
                raise Forbidden("officer.bad_credentials")
            if row.locked_until is not None and row.locked_until > now:
                raise Locked("officer.locked", **_wait(now, row.locked_until))
            failures = 0 if row.locked_until is not None else row.failed_attempts
            current = WorkerOfficer.filter(
                id=row.id, failed_attempts=row.failed_attempts, locked_until=row.locked_until
            )
            if failures >= MAX_FAILURES:
                if await current.update(failed_attempts=0, locked_until=now + LOCKOUT):
                    raise Locked("officer.locked", **_wait(now, now + LOCKOUT))
                continue
            if await current.update(failed_attempts=failures + 1, locked_until=None) != 1:
                continue  # another sign-in claimed first: decide again
            unlocked = WorkerOfficer.filter(id=row.id, locked_until=None)
            if await password_matches_async(password, row.password_hash):
                if await unlocked.update(failed_attempts=0, last_sign_in_at=now) == 1:
                    return _identity(row)
                raise Locked("officer.locked", **_wait(now, now + LOCKOUT))
            if failures + 1 < MAX_FAILURES:
                raise Forbidden("officer.bad_credentials")
            await unlocked.update(failed_attempts=0, locked_until=now + LOCKOUT)
            raise Locked("officer.locked", **_wait(now, now + LOCKOUT))

    async def _decoy_hash(self) -> str:
        if self._decoy is None:
            self._decoy = await hash_password_async("decoy", self._rng, cost=self._hash_cost)
        return self._decoy

    # -- sessions ------------------------------------------------------------------------------

    async def open_session(
        self, officer: OfficerIdentity, language: str
    ) -> tuple[str, WorkerConsoleSession]:
        """A new session; the cookie token is returned once and never stored."""
        now = self._clock.now()
        await WorkerOfficerSession.filter(expires_at__lte=now).delete()
        token = base64.urlsafe_b64encode(self._rng.randbytes(32)).decode().rstrip("=")
        row = await WorkerOfficerSession.create(
            token_hash=token_hash(token),
            officer_id=officer.officer_id,
            csrf_token=self._rng.randbytes(24).hex(),
            language=language,
            created_at=now,
            last_seen_at=now,
            expires_at=now + LIFETIME,
        )
        return token, WorkerConsoleSession(officer, row.csrf_token, row.language, row.expires_at)

    async def resolve(self, token: str) -> WorkerConsoleSession | None:
        if not token or len(token) > 64:
            return None
        row = await WorkerOfficerSession.get_or_none(token_hash=token_hash(token)).select_related(
            "officer"
        )
        if row is None:
            return None
        now = self._clock.now()
        if now >= row.expires_at or now >= row.last_seen_at + IDLE or not row.officer.active:
            await row.delete()
            return None
        await WorkerOfficerSession.filter(token_hash=row.token_hash).update(last_seen_at=now)
        return WorkerConsoleSession(
            _identity(row.officer), row.csrf_token, row.language, row.expires_at
        )

    async def set_language(self, token: str, language: str) -> None:
        await WorkerOfficerSession.filter(token_hash=token_hash(token)).update(language=language)

    async def close_session(self, token: str) -> None:
        await WorkerOfficerSession.filter(token_hash=token_hash(token)).delete()
