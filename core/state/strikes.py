"""Strikes: "at most N checks of a secret per window, then a lock", atomic in the state store.

Why claim before checking: a burst of guesses that each read "not locked" and then checked the
secret got about 30 checks through a window meant for 5, and the right one among them in even
though the burst set the lock (issue 15). Here every check first claims a numbered strike by a
compare-and-set on one small JSON value; the claim past the limit sets the lock instead, so at
most `limit` checks are ever made per window, however many arrive at once, from however many
processes. A right secret is then taken only if no lock has been set meanwhile (`succeed`), so a
lock set by a burst holds against the correct secret too.

One key holds the count and the lock together (`{"since", "n", "until"}`), so every change is
one compare-and-set and no reader can see a count without its lock. Times are the service's
clock (`core.clock`), so a test that moves its clock moves the window; the store's own TTL only
cleans up afterwards.

Used for OTP codes per mobile and purpose (`core.otp`), council sign-in per username and per
client address (`core.professionals.officers`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from core.state import StateStore


@dataclass(frozen=True, slots=True)
class StrikeRule:
    """`limit` checks within `window` of the first; the claim after them locks for `lockout`."""

    limit: int
    window: timedelta
    lockout: timedelta

    @property
    def ttl(self) -> float:
        """How long the store keeps the value: past any window or lock it can describe."""
        return (self.window + self.lockout).total_seconds() + 60


class StruckOut(Exception):
    """The key is locked until `until` (set now, or earlier)."""

    def __init__(self, until: datetime, *, locked_now: bool) -> None:
        super().__init__(until.isoformat())
        self.until = until
        #: True for the one call that set the lock (to audit it once).
        self.locked_now = locked_now


def _fresh(now: datetime, n: int) -> dict[str, Any]:
    return {"since": now.isoformat(), "n": n, "until": None}


def _until(value: dict[str, Any] | None) -> datetime | None:
    if value is None or value.get("until") is None:
        return None
    return datetime.fromisoformat(str(value["until"]))


class Strikes:
    """Counters and locks under `prefix:<subject>` in a state store, under one rule."""

    def __init__(self, store: StateStore, prefix: str, rule: StrikeRule) -> None:
        self._store = store
        self._prefix = prefix
        self.rule = rule

    def _key(self, subject: str) -> str:
        return f"{self._prefix}:{subject}"

    async def locked_until(self, subject: str, now: datetime) -> datetime | None:
        """The end of the lock in force, or None."""
        until = _until(await self._store.get_json(self._key(subject)))
        return until if until is not None and until > now else None

    async def claim(self, subject: str, now: datetime) -> int:
        """Claim the right to one check; returns its number (1..limit).

        Raises `StruckOut` when locked, or when this claim is past the limit (it then sets the
        lock itself).
        """
        key = self._key(subject)
        while True:
            current = await self._store.get_json(key)
            until = _until(current)
            if until is not None and until > now:
                raise StruckOut(until, locked_now=False)
            fresh = (
                current is None
                or until is not None
                or datetime.fromisoformat(str(current["since"])) + self.rule.window <= now
            )
            claimed = 1 if fresh else int(current["n"]) + 1  # type: ignore[index]
            if claimed > self.rule.limit:
                locked_until = now + self.rule.lockout
                if await self._store.compare_and_set(
                    key,
                    current,
                    {**_fresh(now, 0), "until": locked_until.isoformat()},
                    self.rule.ttl,
                ):
                    raise StruckOut(locked_until, locked_now=True)
                continue
            value = _fresh(now, 1) if fresh else {**current, "n": claimed}  # type: ignore[dict-item]
            if await self._store.compare_and_set(key, current, value, self.rule.ttl):
                return claimed

    async def fail(self, subject: str, claimed: int, now: datetime) -> None:
        """A claimed check found the secret wrong: the last allowed one sets the lock now.

        Raises `StruckOut` when the key is (now) locked; returns when checks remain.
        """
        if claimed < self.rule.limit:
            return
        await self.lock(subject, now)

    async def lock(self, subject: str, now: datetime) -> None:
        """Lock now (unless a lock is already in force); always raises `StruckOut`."""
        key = self._key(subject)
        while True:
            current = await self._store.get_json(key)
            until = _until(current)
            if until is not None and until > now:
                raise StruckOut(until, locked_now=False)
            locked_until = now + self.rule.lockout
            value = {**_fresh(now, 0), "until": locked_until.isoformat()}
            if await self._store.compare_and_set(key, current, value, self.rule.ttl):
                raise StruckOut(locked_until, locked_now=True)

    async def succeed(self, subject: str, now: datetime, *, forgive: bool = True) -> None:
        """A claimed check found the secret right, unless a lock was set since the claim (then
        `StruckOut`, and the right secret is refused like a wrong one).

        `forgive`: forget the failures before it ("five in a row", an account's owner signing
        in); else only give this claim back, so the failures still count for their window (an
        OTP: the owner's success must not hand a guesser racing them five fresh tries).
        """
        key = self._key(subject)
        while True:
            current = await self._store.get_json(key)
            until = _until(current)
            if until is not None and until > now:
                raise StruckOut(until, locked_now=False)
            if current is None or until is not None:
                return  # nothing counted (or an ended lock): nothing to forget
            n = 0 if forgive else max(0, int(current["n"]) - 1)
            if await self._store.compare_and_set(key, current, {**current, "n": n}, self.rule.ttl):
                return

    async def refund(self, subject: str, now: datetime) -> None:
        """Give back one claim that was not a failure (a throttle that counts only failures,
        without letting one success wipe out the failures before it)."""
        key = self._key(subject)
        while True:
            current = await self._store.get_json(key)
            if current is None or _until(current) is not None or int(current["n"]) <= 0:
                return
            value = {**current, "n": int(current["n"]) - 1}
            if await self._store.compare_and_set(key, current, value, self.rule.ttl):
                return

    async def clear(self, subject: str) -> None:
        """Forget the counter and any lock (an administrator's unlock)."""
        await self._store.delete(self._key(subject))
