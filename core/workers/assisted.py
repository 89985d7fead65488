"""Enrolling on behalf of someone: the worker's log, `registered_by`, and the ABHA's mobile.

A verified worker's conversation runs the ordinary enrolment steps (`flows.healthid.enrol`)
for the beneficiary; this module keeps what is particular to doing it for someone else:

- one `AssistedEnrolment` row per attempt: started, waiting for an OTP (with the transaction,
  so she can come back to it), finished, found (the Aadhaar already had an ABHA) or failed
  with the refusal's code; the row's worker is the ABHA's `registered_by`, and every finish is
  audited with the worker as actor and the ABHA as subject;
- the beneficiary's consent, recorded as its kind: their Aadhaar OTP, their own mobile's OTP,
  or, for a person with no phone, `attested` (the worker read the consent aloud and attests to
  the spoken yes; she proves it is her by an OTP to her own phone, and the moment is kept);
- the worker's phone is never the ABHA's mobile: the beneficiary's own number (Aadhaar and
  mobile paths, refused when it is the worker's) or none (attested), so the per-mobile cap
  never counts her phone and her phone never reaches their records;
- the beneficiary hears of the ABHA by SMS when they have a phone.
"""

from __future__ import annotations

import random
from datetime import datetime

from tortoise.transactions import in_transaction

from core.audit.service import AuditLog
from core.clock import Clock
from core.errors import Forbidden, InvalidInput, Locked, NotFound
from core.healthid import numbers
from core.healthid.base import IST
from core.healthid.models import Person
from core.healthid.service import HealthIdService
from core.healthid.views import PersonView
from core.healthid.welcome import WELCOME_SMS
from core.settings import Settings
from core.sms.outbox import SmsService
from core.workers.models import AssistedEnrolment, AssistedState, ConsentKind, Worker
from core.workers.views import AssistedView, WorkerView, assisted_view

#: A worker's day is at most this many rows on a phone.
DAY_LIMIT = 30


class AssistedEnrolments:
    def __init__(
        self,
        settings: Settings,
        clock: Clock,
        rng: random.Random,
        audit: AuditLog,
        sms: SmsService,
        healthid: HealthIdService,
    ) -> None:
        self._settings = settings
        self._clock = clock
        self._rng = rng
        self._audit = audit
        self._sms = sms
        self._healthid = healthid

    async def begin(self, worker: WorkerView, consent: ConsentKind | str) -> AssistedView:
        """A new attempt in her log. Errors: `worker.attested_not_offered` (abdm mode),
        `worker.daily_cap` (her quota of `assisted_per_worker_per_day` is used up today)."""
        kind = ConsentKind(consent)
        if kind is ConsentKind.ATTESTED and self._settings.registry == "abdm":
            # ABDM's mobile path would bind the worker's own number to the ABHA at ABDM
            raise Forbidden("worker.attested_not_offered")
        now = self._clock.now()
        cap = self._settings.assisted_per_worker_per_day
        # Counted, then created: two racing begins at the cap may both pass, one over a quota
        # of dozens; it bounds a day's sends to her own phone, it guards no secret.
        begun = await AssistedEnrolment.filter(
            worker__worker_id=worker.worker_id, started_at__gte=self._today_start()
        ).count()
        if begun >= cap:
            raise Locked("worker.daily_cap", limit=cap)
        row = await AssistedEnrolment.create(
            id=f"{self._rng.getrandbits(128):032x}",
            worker=await Worker.get(worker_id=worker.worker_id),
            consent=kind,
            started_at=now,
            updated_at=now,
        )
        return assisted_view(row)

    def check_beneficiary_mobile(self, worker: WorkerView, mobile: str) -> None:
        """The beneficiary's own number: never the worker's (their consent, their SMS)."""
        if mobile == worker.mobile:
            raise InvalidInput("worker.own_mobile")

    async def waiting(self, enrolment_id: str, *, txn_id: str, mobile: str | None) -> None:
        await self._set(
            enrolment_id,
            state=AssistedState.WAITING_OTP,
            txn_id=txn_id,
            beneficiary_mobile=mobile,
            reason=None,
        )

    async def failed(self, enrolment_id: str, reason: str) -> None:
        await self._set(enrolment_id, state=AssistedState.FAILED, reason=reason[:64], txn_id=None)

    async def attested(self, enrolment_id: str) -> None:
        """The worker confirmed the spoken yes (she proves it is her with her own OTP next)."""
        now = self._clock.now()
        await AssistedEnrolment.filter(id=enrolment_id, consent=ConsentKind.ATTESTED).update(
            attested_at=now, updated_at=now
        )

    async def found(
        self, enrolment_id: str, worker: WorkerView, person: PersonView, *, channel: str
    ) -> None:
        """The beneficiary already had an ABHA: found, not duplicated (and recorded so)."""
        number = numbers.compact(person.abha_number)
        await self._set(enrolment_id, state=AssistedState.FOUND, abha_number=number, txn_id=None)
        await self._audit.record(
            "worker.found_existing",
            actor=worker.actor,
            subject=number,
            channel=channel,
        )

    async def finish(
        self, enrolment_id: str, worker: WorkerView, draft_id: str, *, channel: str, lang: str
    ) -> PersonView:
        """Create the ABHA from the draft, with the worker as `registered_by`.

        The attested path proved the worker's own phone to open the draft
        (`start_attested`): the ABHA is made with no mobile; the update below is a second
        guard, in the same transaction, that her phone never holds it.
        """
        row = await self._row(enrolment_id)
        async with in_transaction():
            person = await self._healthid.finish(draft_id, channel=channel)
            number = numbers.compact(person.abha_number)
            if row.consent is ConsentKind.ATTESTED:
                await Person.filter(abha_number=number, mobile=worker.mobile).update(mobile=None)
            await self._set(
                enrolment_id, state=AssistedState.FINISHED, abha_number=number, txn_id=None
            )
            await self._audit.record(
                "worker.enrolled",
                actor=worker.actor,
                subject=number,
                channel=channel,
                detail={"consent": row.consent.value, "registered_by": worker.worker_id},
            )
        if row.consent is not ConsentKind.ATTESTED and row.beneficiary_mobile:
            params = {"name": person.first_name, "abha_number": person.abha_number}
            await self._sms.send(row.beneficiary_mobile, WELCOME_SMS, params, lang)
        return person

    async def day(self, worker: WorkerView) -> list[AssistedView]:
        """Her enrolments begun today (India's day), oldest first."""
        start = self._today_start()
        rows = (
            await AssistedEnrolment.filter(
                worker__worker_id=worker.worker_id, started_at__gte=start
            )
            .order_by("started_at", "id")
            .limit(DAY_LIMIT)
        )
        return [assisted_view(row) for row in rows]

    async def get(self, enrolment_id: str, worker: WorkerView) -> AssistedView:
        """One of her own enrolments; another worker's is "not found"."""
        row = await AssistedEnrolment.get_or_none(
            id=enrolment_id, worker__worker_id=worker.worker_id
        )
        if row is None:
            raise NotFound("worker.enrolment_not_found")
        return assisted_view(row)

    async def registered_by(self, abha_number: str) -> str | None:
        """The worker id that made this ABHA, if a worker did."""
        row = await AssistedEnrolment.get_or_none(
            abha_number=numbers.compact(abha_number), state=AssistedState.FINISHED
        ).select_related("worker")
        return None if row is None else row.worker.worker_id

    def _today_start(self) -> datetime:
        now = self._clock.now().astimezone(IST)
        return now.replace(hour=0, minute=0, second=0, microsecond=0)

    async def _row(self, enrolment_id: str) -> AssistedEnrolment:
        row = await AssistedEnrolment.get_or_none(id=enrolment_id)
        if row is None:
            raise NotFound("worker.enrolment_not_found")
        return row

    async def _set(self, enrolment_id: str, **changes: object) -> None:
        await AssistedEnrolment.filter(id=enrolment_id).update(
            updated_at=self._clock.now(), **changes
        )
