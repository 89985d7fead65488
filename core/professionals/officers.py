"""Council officer accounts: creation (by the admin CLI), sign-in with lockout, unlock.

Why a lockout per username: the console is on the open internet and an officer's password is
all that stands between a guesser and the power to verify a fake doctor. After `max_failures`
wrong passwords within the lockout window the name refuses every password, right or wrong,
until the lockout ends, so guessing cannot continue and a correct guess during the lockout
reveals nothing.

Why per client address first: with the account lock alone, an outsider who knows an officer's
username could keep them locked out for ever with five wrong passwords every 15 minutes. Each
address may fail only `failures_per_source` times per window (fewer than half the account's
limit), and is refused before the account is looked at, so locking an officer out takes several
addresses acting together.

Why an unknown username costs a full hash and has a lock of its own: answering it faster, or
never locking it, would tell a guesser which usernames exist. Counters and locks live in the
state store (`core.state.strikes`), so they are atomic across processes and the same for names
that exist and names that do not; the account row's old `failed_attempts`/`locked_until`
columns are only reset now.
"""

from __future__ import annotations

import hashlib
import ipaddress
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
from core.state import StateStore
from core.state.memory import MemoryStateStore
from core.state.strikes import StrikeRule, Strikes, StruckOut

USERNAME = re.compile(r"[a-z0-9][a-z0-9._\-]{2,31}")
PASSWORD_MIN = 12
PASSWORD_MAX = 128
DEFAULT_HASH_COST = 2**14
DEFAULT_MAX_FAILURES = 5
DEFAULT_FAILURES_PER_SOURCE = 2
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


def _source_of(address: str) -> str:
    """The throttled unit of a client address: an IPv4 address, or an IPv6 address's /64 (one
    subscriber gets a whole /64, so counting single IPv6 addresses would count nothing)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return "other:" + hashlib.sha256(address.encode()).hexdigest()[:16]
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False).network_address) + "/64"
    return str(ip)


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
        state: StateStore | None = None,
        hash_cost: int = DEFAULT_HASH_COST,
        max_failures: int = DEFAULT_MAX_FAILURES,
        failures_per_source: int = DEFAULT_FAILURES_PER_SOURCE,
        lockout: timedelta = DEFAULT_LOCKOUT,
    ) -> None:
        self._clock = clock
        self._rng = rng
        self._audit = audit
        self._hash_cost = hash_cost
        store = state if state is not None else MemoryStateStore()
        #: Per typed username (existing or not): `max_failures` per lockout window, then locked.
        self._names = Strikes(
            store, "officer-name", StrikeRule(max_failures, window=lockout, lockout=lockout)
        )
        #: Per client address, checked first: fewer than half of `max_failures` per window, so
        #: the failures of one address can never fill one account's window (its windows are
        #: as long as the account's, and any account window meets at most two of them).
        self._sources = Strikes(
            store,
            "officer-source",
            StrikeRule(failures_per_source, window=lockout, lockout=lockout),
        )
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

    async def authenticate(
        self, username: str, password: str, *, source: str | None = None
    ) -> OfficerIdentity:
        """The officer whose password this is. Errors: `officer.bad_credentials`,
        `officer.locked` (until, minutes).

        `source` is the client's address (the console passes it; the CLI and tests may not):
        its failures are throttled first, before anything about the username is looked at, so
        one address alone never reaches an account's lock (see `core.state.strikes` for why
        each check claims its strike before the password is compared, and `_source_of`).

        A username that does not exist goes through exactly the same steps: the same strikes
        (keyed by the name, not the account), a password hashed against a decoy, the same
        refusals and the same lock after the same number of failures, so neither the answer
        nor its timing says whether the account exists.
        """
        now = self._clock.now()
        source_key = None if source is None else _source_of(source)
        if source_key is not None:
            try:
                await self._sources.claim(source_key, now)
            except StruckOut as exc:
                raise Locked("officer.locked", **_wait(now, exc.until)) from None
        name = username.strip().lower()
        subject = self._name_subject(name)
        try:
            claimed = await self._names.claim(subject, now)
        except StruckOut as exc:
            await self._on_lock(exc, name)
            raise Locked("officer.locked", **_wait(now, exc.until)) from None
        row = await CouncilOfficer.get_or_none(username=name, active=True)
        stored = row.password_hash if row is not None else await self._decoy()
        right = await password_matches_async(password, stored)
        try:
            if row is not None and right:
                await self._names.succeed(subject, now)
                if source_key is not None:
                    await self._sources.refund(source_key, now)
                await CouncilOfficer.filter(id=row.id).update(last_sign_in_at=now)
                return _identity(row)
            await self._names.fail(subject, claimed, now)
        except StruckOut as exc:
            await self._on_lock(exc, name)
            raise Locked("officer.locked", **_wait(now, exc.until)) from None
        raise Forbidden("officer.bad_credentials")

    def _name_subject(self, name: str) -> str:
        """A digest of the typed name: the key never holds whatever text a guesser sent."""
        return hashlib.sha256(f"officer-name|{name}".encode()).hexdigest()[:32]

    async def _on_lock(self, exc: StruckOut, name: str) -> None:
        """Audit the one lock a burst sets, for an account that exists."""
        if not exc.locked_now:
            return
        row = await CouncilOfficer.get_or_none(username=name, active=True)
        if row is not None:
            await self._locked(row)

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
        """End a lockout early (an administrator, after checking who is asking).

        The lock lives in the state store: with Redis this reaches every web process; with the
        in-process store (embedded) only the process it runs in, and a server's lock ends by
        itself after the lockout."""
        name = parse_username(username)
        if not await CouncilOfficer.filter(username=name).update(
            failed_attempts=0, locked_until=None
        ):
            raise NotFound("officer.not_found", username=name)
        await self._names.clear(self._name_subject(name))
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
        await self._names.clear(self._name_subject(name))
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
