"""What every part of `HealthIdService` shares: its dependencies and a few lookups.

Why a base class: the service is one object for its callers (docs/core-api.md) but two ideas
inside, enrolment (`enrolment.py`) and living with an ABHA (`accounts.py`); both stand on this.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import random
from datetime import date, timedelta, timezone

from core.audit.service import CHANNELS, AuditLog
from core.clock import Clock
from core.errors import Conflict, Forbidden, NotFound
from core.healthid import numbers, pins
from core.healthid.aadhaar_gateway import AadhaarGateway
from core.healthid.drafts import DraftStore
from core.healthid.models import Person, PersonStatus
from core.otp.service import OtpService
from core.settings import Settings
from core.state import StateStore
from core.state.memory import MemoryStateStore

#: India has one time zone and no daylight saving: "today" for a birth date is IST's today.
IST = timezone(timedelta(hours=5, minutes=30), "IST")


class ServiceCore:
    def __init__(
        self,
        settings: Settings,
        clock: Clock,
        rng: random.Random,
        otp: OtpService,
        aadhaar: AadhaarGateway,
        audit: AuditLog,
        *,
        state: StateStore | None = None,
    ) -> None:
        """`state`: where enrolment drafts live; pass the shared store (build_services does);
        the in-process default suits one process and tests."""
        self._settings = settings
        self._clock = clock
        self._rng = rng
        self._otp = otp
        self._aadhaar = aadhaar
        self._audit = audit
        self._drafts = DraftStore(
            state if state is not None else MemoryStateStore(), settings.conversation_ttl_seconds
        )
        self._suffix = settings.abha_address_suffix.lower()
        self._aadhaar_key = settings.aadhaar_hmac_key.get_secret_value()

    def _today(self) -> date:
        return self._clock.now().astimezone(IST).date()

    @staticmethod
    def _check_channel(channel: str) -> None:
        """A bad channel is a caller's bug: refuse it before anything is sent or written."""
        if channel not in CHANNELS:
            raise ValueError(f"unknown channel {channel!r}")

    async def _person(self, abha_number: str) -> Person:
        """An ABHA that exists and is not deleted (active or deactivated)."""
        person = await Person.get_or_none(abha_number=numbers.parse(abha_number))
        if person is None:
            raise NotFound("abha.not_found")
        if person.status is PersonStatus.DELETED:
            raise Forbidden("abha.deleted")
        return person

    async def _active_person(self, abha_number: str) -> Person:
        person = await self._person(abha_number)
        if person.status is not PersonStatus.ACTIVE:
            raise Forbidden("abha.inactive")
        return person

    async def _check_mobile_cap(self, mobile: str) -> None:
        """ABDM caps how many ABHAs one mobile may hold (a family shares a phone, up to a point)."""
        held = await Person.filter(mobile=mobile).exclude(status=PersonStatus.DELETED).count()
        if held >= self._settings.max_abhas_per_mobile:
            raise Conflict("mobile.cap_reached", limit=self._settings.max_abhas_per_mobile)

    def _peppered(self, pin: str) -> str:
        """The PIN keyed with the server's secret before it is hashed.

        Why: a 4-digit PIN has 10,000 values, so no hash cost stops someone who holds a copy of
        the database from trying them all; a key the database does not hold does. scrypt stays,
        at a moderate cost, as defence in depth; the lockout stops guessing online.
        """
        key = self._settings.secret_key.get_secret_value().encode()
        return hmac.new(key, b"pin:" + pin.encode(), hashlib.sha256).hexdigest()

    async def _hash_pin(self, pin: str) -> str:
        """scrypt is deliberately slow: run it off the event loop."""
        salt = self._rng.randbytes(16)
        cost = self._settings.pin_hash_cost
        return await asyncio.to_thread(pins.hash_pin, self._peppered(pin), cost=cost, salt=salt)

    async def _pin_matches(self, pin: str, stored: str) -> bool:
        return await asyncio.to_thread(pins.pin_matches, self._peppered(pin), stored)

    def _pin_hash_stale(self, stored: str) -> bool:
        """Made at another cost than the configured one (e.g. 2^12 before the PIN's own setting
        lowered it to 2^10): rehash it the next time its PIN is typed right."""
        return pins.cost_of(stored) != self._settings.pin_hash_cost

    async def _record(
        self, action: str, person: Person, channel: str, detail: dict[str, object] | None = None
    ) -> None:
        """Self-service actions: the holder is both actor and subject."""
        await self._audit.record(
            action,
            actor=person.abha_number,
            subject=person.abha_number,
            channel=channel,
            detail=detail,
        )
