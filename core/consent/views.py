"""What the consent manager hands back: frozen views of requests, artefacts, fetches and
accesses, and the narrowing a person may apply to a grant.

Why views: the partner API serialises them and a flow keeps what it shows small; neither should
hold an ORM object, and a person's view never carries another person's data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from core.consent.models import ConsentArtefact, ConsentRequest, ConsentStatus
from core.healthid import numbers
from core.records.views import OpenedRecord


@dataclass(frozen=True, slots=True)
class ArtefactView:
    id: str
    request_id: str
    hiu_id: str
    hip_id: str
    hip_name: str
    hi_types: tuple[str, ...]
    date_from: date
    date_to: date
    erase_at: datetime
    status: ConsentStatus
    #: The signed artefact (compact JWS) as the HIU received it.
    signed: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ConsentView:
    id: str
    code: str
    abha_number: str  # formatted XX-XXXX-XXXX-XXXX
    hiu_id: str
    hiu_name: str
    hiu_request_id: str
    purpose: str
    purpose_text: str | None
    requester_name: str
    requester_council: str
    requester_number: str
    hi_types: tuple[str, ...]
    access_mode: str
    date_from: date
    date_to: date
    erase_at: datetime
    frequency: dict[str, object]
    status: ConsentStatus
    deadline: datetime
    created_at: datetime
    decided_at: datetime | None
    #: When the status last changed (a denial, a revocation, an expiry).
    updated_at: datetime
    artefacts: tuple[ArtefactView, ...] = ()

    def status_now(self, now: datetime) -> ConsentStatus:
        """The status as it stands at `now`: a request or grant past its time is EXPIRED even
        before the sweeper has written it."""
        if self.status is ConsentStatus.REQUESTED and self.deadline <= now:
            return ConsentStatus.EXPIRED
        if self.status is ConsentStatus.GRANTED and self.erase_at <= now:
            return ConsentStatus.EXPIRED
        return self.status


@dataclass(frozen=True, slots=True)
class Narrowing:
    """What a person keeps of a request when granting less than was asked (Telegram).

    Each part left None grants what was asked; a part given must lie within the request (a
    subset of its HI types, of the HIPs holding matching care contexts, a range inside its own).
    """

    hi_types: frozenset[str] | None = None
    hip_ids: frozenset[str] | None = None
    date_from: date | None = None
    date_to: date | None = None


@dataclass(frozen=True, slots=True)
class HipChoice:
    id: str
    name: str
    hi_types: tuple[str, ...]  # of the request's types, those this HIP holds in range


@dataclass(frozen=True, slots=True)
class GrantScope:
    """What a grant of this request could cover: the choices a narrowing picks from."""

    request: ConsentView
    hips: tuple[HipChoice, ...]


@dataclass(frozen=True, slots=True)
class Fetched:
    """One page of the records an artefact covers, already opened (and audited)."""

    artefact: ArtefactView
    records: tuple[OpenedRecord, ...]
    page: int
    page_size: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))

    @property
    def has_next(self) -> bool:
        return self.page * self.page_size < self.total


@dataclass(frozen=True, slots=True)
class AccessView:
    """One fetch by a HIU, as the person reads it in "who saw my records"."""

    at: datetime
    hiu_id: str
    hiu_name: str
    requester_name: str
    hip_name: str
    hi_types: tuple[str, ...]
    records: int


def artefact_view(row: ConsentArtefact, request_id: str, hip_name: str) -> ArtefactView:
    return ArtefactView(
        id=row.id,
        request_id=request_id,
        hiu_id=str(row.hiu_id),  # type: ignore[attr-defined]
        hip_id=str(row.hip_id),  # type: ignore[attr-defined]
        hip_name=hip_name,
        hi_types=tuple(row.hi_types),
        date_from=row.date_from,
        date_to=row.date_to,
        erase_at=row.erase_at,
        status=ConsentStatus(row.status),
        signed=row.signed,
        created_at=row.created_at,
    )


def consent_view(
    row: ConsentRequest,
    abha_number: str,
    hiu_name: str,
    artefacts: tuple[ArtefactView, ...] = (),
) -> ConsentView:
    return ConsentView(
        id=row.id,
        code=row.code,
        abha_number=numbers.format(abha_number),
        hiu_id=str(row.hiu_id),  # type: ignore[attr-defined]
        hiu_name=hiu_name,
        hiu_request_id=row.hiu_request_id,
        purpose=row.purpose,
        purpose_text=row.purpose_text,
        requester_name=row.requester_name,
        requester_council=row.requester_council,
        requester_number=row.requester_number,
        hi_types=tuple(row.hi_types),
        access_mode=row.access_mode,
        date_from=row.date_from,
        date_to=row.date_to,
        erase_at=row.erase_at,
        frequency=dict(row.frequency),
        status=ConsentStatus(row.status),
        deadline=row.deadline,
        created_at=row.created_at,
        decided_at=row.decided_at,
        updated_at=row.updated_at,
        artefacts=artefacts,
    )
