"""Records leaving under an artefact, and the person's view of who saw them.

A fetch is refused unless the artefact is the calling HIU's (anyone else's is simply not found),
GRANTED, not past its `dataEraseAt`, its person's ABHA is active, and its `frequency` allows
another fetch in this window (core.consent.frequency). The records released are
`core.consent.scope`'s, checked twice (the query, then record by record). The fetch is audited
(`consent.fetched`, naming the HIU, the requester, the HIP and what was released) before any
record is opened, and each record is opened through `RecordService.read_record`, which audits
the read itself; so every release is on the record before it leaves. The artefact's status is
read once more before the answer, so a revocation that lands mid-fetch still stops it.
"""

from __future__ import annotations

from core.audit.models import AuditEvent
from core.consent.base import ConsentCore
from core.consent.frequency import claim_fetch
from core.consent.models import ConsentArtefact, ConsentStatus
from core.consent.scope import covers, records_query
from core.consent.views import AccessView, Fetched, artefact_view
from core.errors import Forbidden, InvalidInput, NotFound
from core.facilities.models import Facility
from core.facilities.paging import check_paging
from core.facilities.views import FacilityView
from core.healthid.models import PersonStatus
from core.records.people import person_by_number

FETCHED = "consent.fetched"
MAX_FETCH_PAGE = 20


class AccessSteps(ConsentCore):
    async def fetch(
        self, hiu: FacilityView, artefact_id: str, *, page: int = 1, page_size: int = 10
    ) -> Fetched:
        """One page of the records `artefact_id` releases to `hiu`. Errors:
        `consent.artefact_not_found` (unknown, or another HIU's), `consent.revoked`,
        `consent.expired`, `abha.inactive`, `consent.paging` (page, page_size),
        `consent.frequency_exceeded` (retry_after: more fetches than the artefact's frequency
        allows in this window)."""
        offset, limit = check_paging(page, page_size, error_code="consent.paging")
        if page_size > MAX_FETCH_PAGE:
            raise InvalidInput("consent.paging", field="page_size")
        artefact = await self._artefact_of(hiu, artefact_id)
        self._in_force(artefact)
        if artefact.person.status is not PersonStatus.ACTIVE:
            raise Forbidden("abha.inactive")
        # ABDM's frequency, signed into the artefact, is kept here (core.consent.frequency)
        await claim_fetch(
            artefact.id,
            dict(artefact.request.frequency),
            artefact.created_at,
            self._now(),
            first_page=page == 1,
        )
        query = records_query(artefact)
        total = 0 if query is None else await query.count()
        found = [] if query is None else await query.offset(offset).limit(limit)
        rows = [row for row in found if covers(artefact, row)]
        request = artefact.request
        await self._audit.record(
            FETCHED,
            actor=hiu.id,
            subject=artefact.person.abha_number,
            channel="api",
            detail={
                "artefact": artefact.id,
                "request": request.id,
                "hiu": hiu.id,
                "requester": request.requester_name,
                "hip": artefact.hip.id,
                "hi_types": sorted({str(row.hi_type) for row in rows}),
                "records": [row.id for row in rows],
            },
        )
        opened = [
            await self._records.read_record(row.id, reader=hiu.id, channel="api") for row in rows
        ]
        await artefact.refresh_from_db(fields=["status"])
        self._in_force(artefact)
        view = artefact_view(artefact, request.id, artefact.hip.name)
        return Fetched(view, tuple(opened), page, page_size, total)

    async def _artefact_of(self, hiu: FacilityView, artefact_id: str) -> ConsentArtefact:
        artefact = None
        if isinstance(artefact_id, str) and len(artefact_id) <= 36:
            artefact = await ConsentArtefact.get_or_none(
                id=artefact_id, hiu_id=hiu.id
            ).select_related("request", "person", "hip")
        if artefact is None:
            raise NotFound("consent.artefact_not_found")
        return artefact

    def _in_force(self, artefact: ConsentArtefact) -> None:
        if artefact.status is ConsentStatus.REVOKED:
            raise Forbidden("consent.revoked")
        if artefact.status is not ConsentStatus.GRANTED or artefact.erase_at <= self._now():
            raise Forbidden("consent.expired")

    async def access_log(self, abha_number: str, limit: int = 10) -> list[AccessView]:
        """Who saw the person's records under a consent, newest first."""
        person = await person_by_number(abha_number)
        newest = (
            await AuditEvent.filter(subject=person.abha_number, action=FETCHED)
            .order_by("-id")
            .limit(max(1, limit))
        )
        ids = {str(e.detail.get(k, "")) for e in newest for k in ("hiu", "hip")}
        names = dict(await Facility.filter(id__in=list(ids)).values_list("id", "name"))
        return [
            AccessView(
                at=event.at,
                hiu_id=str(event.detail.get("hiu", "")),
                hiu_name=str(names.get(event.detail.get("hiu"), "")),
                requester_name=str(event.detail.get("requester", "")),
                hip_name=str(names.get(event.detail.get("hip"), "")),
                hi_types=tuple(str(kind) for kind in _list(event.detail.get("hi_types"))),
                records=len(_list(event.detail.get("records"))),
            )
            for event in newest
        ]


def _list(value: object) -> list[object]:
    return list(value) if isinstance(value, list | tuple) else []
