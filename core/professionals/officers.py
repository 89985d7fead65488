"""Council officer accounts: creation (by the admin CLI), sign-in with lockout, unlock.

Why a lockout per account: the console is on the open internet and an officer's password is all
that stands between a guesser and the power to verify a fake doctor. After `max_failures` wrong
passwords in a row the account refuses every password, right or wrong, until the lockout ends,
so guessing cannot continue and a correct guess during the lockout reveals nothing.

Why an unknown username costs a full hash: answering it faster than a wrong password would tell
a guesser which usernames exist.
"""

from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from tortoise.exceptions import IntegrityError

from core.audit.service import AuditLog
from core.clock import Clock
from core.errors import Conflict, Forbidden, InvalidInput, Locked, NotFound
from core.professionals.councils import parse_council
from core.professionals.models import CouncilOfficer, OfficerSession
from core.professionals.passwords import hash_password_async, password_matches_async

USERNAME = re.compile(r"[a-z0-9][a-z0-9._\-]{2,31}")
PASSWORD_MIN = 12
PASSWORD_MAX = 128
DEFAULT_HASH_COST = 2**14
DEFAULT_MAX_FAILURES = 5
DEFAULT_LOCKOUT = timedelta(minutes=15)


class Decider(Protocol):
    """Whoever decides on a registration: a signed-in officer, or (for the partner API) a
    council's API key. The registry needs only their council and how to name them."""

    @property
    def council(self) -> str: ...

    @property
    def actor(self) -> str: ...


@dataclass(frozen=True, slots=True)
class OfficerIdentity:
    """Who is acting on a council's queue, as the registry's rules need it."""

    officer_id: int
    username: str
    council: str

    @property
    def actor(self) -> str:
        """The audit actor: `officer:MH:asha.patil`."""
        return f"officer:{self.council}:{self.username}"


def _identity(row: CouncilOfficer) -> OfficerIdentity:
    return OfficerIdentity(officer_id=row.id, username=row.username, council=row.council)


def _wait(now: datetime, until: datetime) -> dict[str, object]:
    minutes = max(1, math.ceil((until - now).total_seconds() / 60))
    return {"until": until.isoformat(), "minutes": minutes}


def parse_username(text: str) -> str:
    username = text.strip().lower()
    if not USERNAME.fullmatch(username):
        raise InvalidInput("officer.invalid", field="username")
    return username


def check_password_strength(password: str) -> None:
    if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX or not password.strip():
        raise InvalidInput("officer.invalid", field="password")


class OfficerAccounts:
    def __init__(
        self,
        clock: Clock,
        rng: random.Random,
        audit: AuditLog,
        *,
        hash_cost: int = DEFAULT_HASH_COST,
        max_failures: int = DEFAULT_MAX_FAILURES,
        lockout: timedelta = DEFAULT_LOCKOUT,
    ) -> None:
        self._clock = clock
        self._rng = rng
        self._audit = audit
        self._hash_cost = hash_cost
        self._max_failures = max_failures
        self._lockout = lockout
        self._decoy_hash: str | None = None

    async def create(
        self, council: str, username: str, password: str, *, actor: str = "system"
    ) -> OfficerIdentity:
        """A new active account. Errors: `hpr.council_unknown`, `officer.invalid` (field),
        `officer.exists`."""
        code = parse_council(council)
        name = parse_username(username)
        check_password_strength(password)
        hashed = await hash_password_async(password, self._rng, cost=self._hash_cost)
        try:
            row = await CouncilOfficer.create(
                username=name, council=code, password_hash=hashed, created_at=self._clock.now()
            )
        except IntegrityError as exc:
            raise Conflict("officer.exists", username=name) from exc
        await self._audit.record(
            "council.officer_created", actor=actor, subject=_identity(row).actor, channel="cli"
        )
        return _identity(row)

    async def authenticate(self, username: str, password: str) -> OfficerIdentity:
        """The officer whose password this is. Errors: `officer.bad_credentials`,
        `officer.locked` (until, minutes).

        Why each check claims its attempt first (a compare-and-set adding one failure) and a
        right password is taken only by an update that finds the account still unlocked: a
        burst of sign-ins that all read "not locked" once had about 30 passwords checked in a
        window meant for 5, and a right one among them signed in although the burst locked the
        account. Now at most `max_failures` checks are ever in flight for one account.
        """
        name = username.strip().lower()
        while True:
            now = self._clock.now()
            row = await CouncilOfficer.get_or_none(username=name, active=True)
            if row is None:
                await password_matches_async(password, await self._decoy())
                raise Forbidden("officer.bad_credentials")
            if row.locked_until is not None and row.locked_until > now:
                raise Locked("officer.locked", **_wait(now, row.locked_until))
            failures = 0 if row.locked_until is not None else row.failed_attempts
            current = CouncilOfficer.filter(
                id=row.id, failed_attempts=row.failed_attempts, locked_until=row.locked_until
            )
            if failures >= self._max_failures:  # the allowed checks are all in flight: lock
                if await current.update(failed_attempts=0, locked_until=now + self._lockout):
                    await self._locked(row)
                    raise Locked("officer.locked", **_wait(now, now + self._lockout))
                continue
            if await current.update(failed_attempts=failures + 1, locked_until=None) != 1:
                continue  # another sign-in claimed first: decide again
            unlocked = CouncilOfficer.filter(id=row.id, locked_until=None)
            if await password_matches_async(password, row.password_hash):
                if await unlocked.update(failed_attempts=0, last_sign_in_at=now) == 1:
                    return _identity(row)
                raise Locked("officer.locked", **_wait(now, now + self._lockout))
            if failures + 1 < self._max_failures:
                raise Forbidden("officer.bad_credentials")
            until = now + self._lockout
            if await unlocked.update(failed_attempts=0, locked_until=until) == 1:
                await self._locked(row)
            raise Locked("officer.locked", **_wait(now, until))

    async def _locked(self, row: CouncilOfficer) -> None:
        await self._audit.record(
            "council.officer_locked",
            actor="system",
            subject=_identity(row).actor,
            channel="web",  # officers sign in only at the console
        )

    async def get(self, officer_id: int) -> OfficerIdentity | None:
        """The active officer with this id (None once deactivated)."""
        row = await CouncilOfficer.get_or_none(id=officer_id, active=True)
        return None if row is None else _identity(row)

    async def unlock(self, username: str, *, actor: str = "system") -> None:
        """End a lockout early (an administrator, after checking who is asking)."""
        name = parse_username(username)
        if not await CouncilOfficer.filter(username=name).update(
            failed_attempts=0, locked_until=None
        ):
            raise NotFound("officer.not_found", username=name)
        await self._audit.record(
            "council.officer_unlocked", actor=actor, subject=f"officer:{name}", channel="cli"
        )

    async def set_password(self, username: str, password: str, *, actor: str = "system") -> None:
        """Replace the password and end every console session of the account: a reset after a
        leak must lock out whoever holds the old one, not leave them their open session."""
        name = parse_username(username)
        check_password_strength(password)
        hashed = await hash_password_async(password, self._rng, cost=self._hash_cost)
        if not await CouncilOfficer.filter(username=name).update(
            password_hash=hashed, failed_attempts=0, locked_until=None
        ):
            raise NotFound("officer.not_found", username=name)
        officer_id = await CouncilOfficer.get(username=name).values_list("id", flat=True)
        await OfficerSession.filter(officer_id=officer_id).delete()
        await self._audit.record(
            "council.officer_password_set", actor=actor, subject=f"officer:{name}", channel="cli"
        )

    async def deactivate(self, username: str, *, actor: str = "system") -> None:
        """Switch an account off; its sessions stop working at their next request."""
        name = parse_username(username)
        if not await CouncilOfficer.filter(username=name).update(active=False):
            raise NotFound("officer.not_found", username=name)
        await self._audit.record(
            "council.officer_deactivated", actor=actor, subject=f"officer:{name}", channel="cli"
        )

    async def _decoy(self) -> str:
        if self._decoy_hash is None:
            self._decoy_hash = await hash_password_async(
                "decoy-password", self._rng, cost=self._hash_cost
            )
        return self._decoy_hash
