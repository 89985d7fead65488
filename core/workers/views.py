"""Frozen views the worker registry hands out (never an ORM row a caller could save)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.workers.models import (
    AssistedEnrolment,
    AssistedState,
    ConsentKind,
    Worker,
    WorkerRole,
    WorkerStatus,
)


@dataclass(frozen=True, slots=True)
class WorkerView:
    worker_id: str
    name: str
    role: WorkerRole
    mobile: str
    facility_id: str | None
    district_lgd: int
    status: WorkerStatus
    reason: str | None
    decided_by: str | None
    decided_at: datetime | None
    language: str
    created_at: datetime

    @property
    def actor(self) -> str:
        """The audit actor and `registered_by` of what she does: `worker:W123456789`."""
        return f"worker:{self.worker_id}"


def worker_view(row: Worker) -> WorkerView:
    return WorkerView(
        worker_id=row.worker_id,
        name=row.name,
        role=row.role,
        mobile=row.mobile,
        facility_id=row.facility_id,
        district_lgd=row.district_lgd,
        status=row.status,
        reason=row.reason,
        decided_by=row.decided_by,
        decided_at=row.decided_at,
        language=row.language,
        created_at=row.created_at,
    )


@dataclass(frozen=True, slots=True)
class AssistedView:
    id: str
    consent: ConsentKind
    state: AssistedState
    reason: str | None
    beneficiary_mobile: str | None
    txn_id: str | None
    abha_number: str | None
    started_at: datetime


def assisted_view(row: AssistedEnrolment) -> AssistedView:
    return AssistedView(
        id=row.id,
        consent=row.consent,
        state=row.state,
        reason=row.reason,
        beneficiary_mobile=row.beneficiary_mobile,
        txn_id=row.txn_id,
        abha_number=row.abha_number,
        started_at=row.started_at,
    )
