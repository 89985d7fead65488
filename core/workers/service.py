"""`WorkerService`: registering a health worker, deciding on her, and asking who she is.

    ticket = await workers.start_mobile_verification("+919876543210", "hi")
    await workers.verify_mobile(ticket.txn_id, "123456")
    worker = await workers.register(name="Sunita Devi", role="ASHA", mobile_txn_id=ticket.txn_id,
                                    facility_id="IN0910000001", district_lgd=None,
                                    channel="ussd", lang="hi")
    await workers.verify(worker.worker_id, officer, channel="web")   # an officer, at the console
    await workers.verified_by_mobile("+919876543210")                # the menu's question

Rules: the mobile is proved by an OTP this registry started, verified in the last 30 minutes,
used for one registration only; a worker serves one facility (HFR id) or one district (LGD
code); PENDING -> VERIFIED / REJECTED, VERIFIED -> WITHDRAWN, each decided by an officer whose
facility or district is the worker's, as a conditional update (one of two racing officers
wins). Every registration and decision is audited.
"""

from __future__ import annotations

import random
from datetime import timedelta

from tortoise.exceptions import IntegrityError

from core.audit.service import AuditLog
from core.clock import Clock
from core.errors import Conflict, Forbidden, InvalidInput, NotFound
from core.facilities import lgd
from core.facilities.service import FacilityService
from core.healthid import mobile as mobiles
from core.otp.models import OtpStatus
from core.otp.service import OtpService, OtpTicket
from core.sms.outbox import SmsService
from core.workers.assisted import AssistedEnrolments
from core.workers.models import Worker, WorkerRole, WorkerStatus
from core.workers.officers import OfficerIdentity, WorkerOfficers
from core.workers.views import WorkerView, worker_view

MOBILE_PURPOSE = "worker.mobile"
#: Her OTP says what it is for (not "for ABHA": she may have none).
OTP_SMS = "sms.otp.worker"
#: A mobile proof older than this does not register anyone.
PROOF_WINDOW = timedelta(minutes=30)
NAME_MAX = 100
REASON_MAX = 500
_ID_ATTEMPTS = 5


def parse_name(text: str) -> str:
    name = " ".join(text.split())
    if not 2 <= len(name) <= NAME_MAX or any(ch.isdigit() for ch in name):
        raise InvalidInput("worker.name_invalid")
    return name


def parse_role(text: str) -> WorkerRole:
    try:
        return WorkerRole(text.strip().upper())
    except ValueError:
        raise InvalidInput("worker.role_invalid") from None


def parse_district(text: str) -> int:
    """An LGD district code Arogya knows (at most four digits)."""
    code = text.strip()
    if (
        not (code.isascii() and code.isdigit() and len(code) <= 4)
        or lgd.district(int(code)) is None
    ):
        raise InvalidInput("worker.district_unknown")
    return int(code)


class WorkerService:
    def __init__(
        self,
        clock: Clock,
        rng: random.Random,
        otp: OtpService,
        audit: AuditLog,
        facilities: FacilityService,
        sms: SmsService,
        assisted: AssistedEnrolments,
        *,
        officer_hash_cost: int,
    ) -> None:
        self._clock = clock
        self._rng = rng
        self._otp = otp
        self._audit = audit
        self._facilities = facilities
        self._sms = sms
        #: The enrolments a worker makes on behalf of others (her log, registered_by).
        self.assisted = assisted
        #: The officers who verify workers, and their console sessions.
        self.officers = WorkerOfficers(clock, rng, audit, hash_cost=officer_hash_cost)

    # -- the mobile proof ----------------------------------------------------------------------

    async def start_mobile_verification(self, mobile: str, lang: str) -> OtpTicket:
        """An OTP to the worker's own mobile. Errors: `mobile.invalid`, `worker.exists`, the
        OTP service's (`otp.locked`, `otp.rate_limited`)."""
        e164 = mobiles.parse(mobile)
        if await Worker.exists(mobile=e164):
            raise Conflict("worker.exists")
        return await self._otp.start(e164, MOBILE_PURPOSE, lang, message_key=OTP_SMS)

    async def verify_mobile(self, txn_id: str, code: str) -> OtpTicket:
        txn = await self._otp.find(txn_id)
        if txn is None or txn.purpose != MOBILE_PURPOSE:
            raise NotFound("otp.unknown")
        return await self._otp.verify(txn_id, code)

    async def _proved_mobile(self, txn_id: str) -> str:
        txn = await self._otp.find(txn_id)
        now = self._clock.now()
        if (
            txn is None
            or txn.purpose != MOBILE_PURPOSE
            or txn.status is not OtpStatus.USED
            or txn.verified_at is None
            or txn.verified_at + PROOF_WINDOW < now
        ):
            raise Forbidden("worker.mobile_unverified")
        return txn.mobile

    # -- registering ---------------------------------------------------------------------------

    async def register(
        self,
        *,
        name: str,
        role: str,
        mobile_txn_id: str,
        facility_id: str | None,
        district_lgd: int | None,
        channel: str,
        lang: str,
    ) -> WorkerView:
        """A new PENDING worker. Errors: `worker.name_invalid`, `worker.role_invalid`,
        `worker.place_needed`, `facility.not_found`, `worker.district_unknown`,
        `worker.mobile_unverified`, `worker.exists`."""
        clean_name = parse_name(name)
        clean_role = parse_role(role)
        if (facility_id is None) == (district_lgd is None):
            raise InvalidInput("worker.place_needed")
        if facility_id is not None:
            district = await self.facility_district(facility_id)
        else:
            district = parse_district(str(district_lgd))
        mobile = await self._proved_mobile(mobile_txn_id)
        now = self._clock.now()
        for _ in range(_ID_ATTEMPTS):
            if await Worker.exists(mobile=mobile) or await Worker.exists(
                mobile_txn_id=mobile_txn_id
            ):
                raise Conflict("worker.exists")
            try:
                row = await Worker.create(
                    worker_id=f"W{self._rng.randrange(10**9):09d}",
                    name=clean_name,
                    role=clean_role,
                    mobile=mobile,
                    mobile_txn_id=mobile_txn_id,
                    facility_id=facility_id,
                    district_lgd=district,
                    language=lang,
                    registered_channel=channel,
                    created_at=now,
                    updated_at=now,
                )
            except IntegrityError:
                continue  # a racing registration of this mobile, or a rare id collision
            view = worker_view(row)
            await self._audit.record(
                "worker.registered",
                actor=view.actor,
                subject=view.actor,
                channel=channel,
                detail={"role": clean_role.value, "district": district},
            )
            return view
        raise Conflict("worker.exists")

    async def facility_district(self, facility_id: str) -> int:
        """The LGD district of a VERIFIED facility; any other is `facility.not_found`."""
        facility = await self._facilities.get(facility_id)
        if not facility.is_verified:
            raise NotFound("facility.not_found")
        return facility.district_code

    # -- asking --------------------------------------------------------------------------------

    async def by_mobile(self, mobile: str) -> WorkerView | None:
        row = await Worker.get_or_none(mobile=mobile)
        return None if row is None else worker_view(row)

    async def verified_by_mobile(self, mobile: str | None) -> WorkerView | None:
        """The VERIFIED worker on this mobile, else None (pending, rejected, withdrawn: none)."""
        if not mobile:
            return None
        row = await Worker.get_or_none(mobile=mobile, status=WorkerStatus.VERIFIED)
        return None if row is None else worker_view(row)

    async def get(self, worker_id: str) -> WorkerView:
        row = await Worker.get_or_none(worker_id=worker_id)
        if row is None:
            raise NotFound("worker.not_found")
        return worker_view(row)

    async def get_for(self, worker_id: str, officer: OfficerIdentity) -> WorkerView:
        """A worker this officer may see; any other is "not found", never "forbidden"."""
        worker = await self.get(worker_id)
        if not officer.serves(worker.facility_id, worker.district_lgd):
            raise NotFound("worker.not_found")
        return worker

    async def listed_for(
        self, officer: OfficerIdentity, status: WorkerStatus, *, limit: int = 50
    ) -> list[WorkerView]:
        query = Worker.filter(status=status)
        if officer.facility_id is not None:
            query = query.filter(facility_id=officer.facility_id)
        else:
            query = query.filter(district_lgd=officer.district_lgd)
        rows = await query.order_by("created_at", "id").limit(limit)
        return [worker_view(row) for row in rows]

    # -- deciding ------------------------------------------------------------------------------

    async def verify(self, worker_id: str, officer: OfficerIdentity, *, channel: str) -> WorkerView:
        return await self._decide(
            worker_id, officer, WorkerStatus.PENDING, WorkerStatus.VERIFIED, None, channel
        )

    async def reject(
        self, worker_id: str, officer: OfficerIdentity, reason: str, *, channel: str
    ) -> WorkerView:
        return await self._decide(
            worker_id, officer, WorkerStatus.PENDING, WorkerStatus.REJECTED, reason, channel
        )

    async def withdraw(
        self, worker_id: str, officer: OfficerIdentity, reason: str, *, channel: str
    ) -> WorkerView:
        """End a verification: from now on her phone gets the ordinary menu."""
        return await self._decide(
            worker_id, officer, WorkerStatus.VERIFIED, WorkerStatus.WITHDRAWN, reason, channel
        )

    async def _decide(
        self,
        worker_id: str,
        officer: OfficerIdentity,
        before: WorkerStatus,
        after: WorkerStatus,
        reason: str | None,
        channel: str,
    ) -> WorkerView:
        """Errors: `worker.not_found` (also another place's worker), `worker.reason_needed`,
        `worker.already_decided` (the state moved on, e.g. another officer was first)."""
        worker = await self.get_for(worker_id, officer)
        if after is not WorkerStatus.VERIFIED:
            reason = " ".join((reason or "").split())[:REASON_MAX]
            if not reason:
                raise InvalidInput("worker.reason_needed", field="reason")
        now = self._clock.now()
        changed = await Worker.filter(worker_id=worker.worker_id, status=before).update(
            status=after, reason=reason, decided_by=officer.actor, decided_at=now, updated_at=now
        )
        if changed != 1:
            raise Conflict("worker.already_decided")
        await self._audit.record(
            f"worker.{after.value.lower()}",
            actor=officer.actor,
            subject=worker.actor,
            channel=channel,
        )
        # she hears the decision by SMS on her proved mobile, in the language she registered in
        told: dict[str, object] = {"name": worker.name}
        if after is WorkerStatus.VERIFIED:
            told["worker_id"] = worker.worker_id
        else:
            told["reason"] = reason or ""
        key = f"workers.notice.{after.value.lower()}"
        await self._sms.send(worker.mobile, key, told, worker.language)
        return await self.get(worker.worker_id)
