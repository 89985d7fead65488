"""`RecordService`: facilities link care contexts and push documents; people read them.

    records = RecordService(clock, rng, audit, keyring, links, digest_secret="deployment secret")
    context = await records.link_care_context(facility, link_token="alt_...", reference="OP-1012",
                                              display="OPD visit", hi_type="Prescription",
                                              date=date(2026, 1, 15))
    stored = await records.store_document(facility, "OP-1012", body, idempotency_key="upl-1")
    page = await records.list_records("91-5555-1234-5678")
    opened = await records.read_record(page.items[0].id, reader="91555512345678", channel="ussd")
    print(opened.summary("hi").text())

Rules: only a VERIFIED facility links or stores, and only for its own care contexts (a
reference is looked up within the calling facility, so another facility's is simply unknown);
the document's HI type must be the care context's; a retry with the same idempotency key stores
nothing new. A facility links a visit only with a live link token the person authorised for
it (core.records.linking), and stores a document only while it still holds one for that person:
checked here, not only at the partner API, so no other door (a CLI, a future ABDM bridge) can
write into an ABHA without the person's say-so. Every read is audited (`record.read`) before
the bundle is returned; listing opens nothing and is not.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import random
import uuid
from datetime import date, timedelta, timezone

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from core.audit.service import CHANNELS, AuditLog
from core.clock import Clock
from core.errors import Conflict, Forbidden, InvalidInput, NotFound
from core.facilities.models import Facility, FacilityStatus
from core.facilities.paging import Page, check_paging
from core.facilities.views import FacilityView
from core.healthid.models import Person
from core.records import checks, own
from core.records.errors import Unreadable
from core.records.fhir import DEFAULT_MAX_BUNDLE_BYTES, check_size, parse_document
from core.records.hitypes import HiType, parse_hi_type
from core.records.linking import LinkService
from core.records.models import CareContext, HealthRecord, RecordSource
from core.records.people import linkable_person, person_by_number, still_active
from core.records.rotation import reseal_all
from core.records.vault import Keyring, VaultError
from core.records.views import (
    CareContextView,
    OpenedRecord,
    RecordView,
    StoredRecord,
    care_context_view,
    record_view,
)

log = logging.getLogger(__name__)

#: People in India read dates in IST; a self-uploaded document is dated on their calendar.
IST = timezone(timedelta(hours=5, minutes=30), "IST")


class RecordService:
    def __init__(
        self,
        clock: Clock,
        rng: random.Random,
        audit: AuditLog,
        keyring: Keyring,
        links: LinkService,
        *,
        digest_secret: str,
        max_bundle_bytes: int = DEFAULT_MAX_BUNDLE_BYTES,
        abha_address_suffix: str = "abdm",
    ) -> None:
        self._clock = clock
        self._rng = rng
        self._audit = audit
        self._keyring = keyring
        self._links = links
        self._digest_key = hmac.new(
            digest_secret.encode(), b"arogya.records.idempotency.v1", hashlib.sha256
        ).digest()
        self.max_bundle_bytes = max_bundle_bytes
        self._suffix = abha_address_suffix

    # --- a facility's side ---------------------------------------------------------------

    async def link_care_context(
        self,
        facility: FacilityView,
        *,
        link_token: str,
        reference: str,
        display: str,
        hi_type: HiType | str,
        date: date,
        abha_number: str | None = None,
        abha_address: str | None = None,
    ) -> CareContextView:
        """Link a facility's visit to the person its link token names (an ABHA given beside
        the token must be that person's: `link.token_invalid` otherwise). Linking the same
        reference again with the same details returns the existing link; with different
        details it is refused."""
        row = await self._verified(facility)
        reference = checks.check_reference(reference)
        display = checks.check_display(display)
        kind = parse_hi_type(hi_type)
        day = checks.check_visit_date(date, self._clock.now().astimezone(IST).date())
        token_holder = await self._links.person_linked(
            facility, link_token, abha_number=abha_number, abha_address=abha_address
        )
        person = await linkable_person(token_holder.abha_number, None, suffix=self._suffix)
        wanted = {"display": display, "hi_type": kind, "date": day, "person_id": person.id}
        try:
            context = await CareContext.create(
                id=self._new_id(),
                facility=row,
                person=person,
                reference=reference,
                display=display,
                hi_type=kind,
                date=day,
                created_at=self._clock.now(),
            )
        except IntegrityError:
            context = await CareContext.get(facility_id=row.id, reference=reference)
            if any(getattr(context, name) != value for name, value in wanted.items()):
                raise Conflict("records.care_context_exists", reference=reference) from None
        return care_context_view(context, person.abha_number)

    async def store_document(
        self,
        facility: FacilityView,
        reference: str,
        bundle: bytes,
        idempotency_key: str | None = None,
    ) -> StoredRecord:
        """Validate, seal and store one FHIR document for the facility's care context."""
        check_size(bundle, self.max_bundle_bytes)  # before any lookup: cheap refusals first
        row = await self._verified(facility)
        idempotency_key = checks.check_idempotency_key(idempotency_key)
        context = await CareContext.get_or_none(
            facility_id=row.id, reference=checks.check_reference(reference)
        ).select_related("person")
        if context is None:
            raise NotFound("records.care_context_not_found", reference=reference)
        digest = hmac.new(self._digest_key, context.id.encode() + b"\0" + bundle, "sha256")
        request_digest = digest.hexdigest()
        if idempotency_key is not None:
            replay = await self._replay(row, idempotency_key, request_digest, context)
            if replay is not None:
                return replay
        document = parse_document(bundle, max_bytes=self.max_bundle_bytes)
        if document.hi_type is not context.hi_type:
            raise InvalidInput(
                "records.type_mismatch",
                expected=context.hi_type.value,
                found=document.hi_type.value,
            )
        person = await linkable_person(context.person.abha_number, None, suffix=self._suffix)
        if not await self._links.holds_token(row.id, person.id):  # expired since the link
            raise Forbidden("link.token_invalid")
        record_id = self._new_id()
        key_id, sealed = self._keyring.seal(bundle, record_id)
        try:
            async with in_transaction():
                record = await HealthRecord.create(
                    id=record_id,
                    person=person,
                    facility=row,
                    care_context=context,
                    source=RecordSource.FACILITY,
                    hi_type=document.hi_type,
                    date=document.date,
                    display=context.display,
                    size=len(bundle),
                    key_id=key_id,
                    sealed=sealed,
                    idempotency_key=idempotency_key,
                    request_digest=request_digest,
                    created_at=self._clock.now(),
                )
                await still_active(person)  # a deletion racing this push wins
                await self._audit.record(
                    "record.stored",
                    actor=row.id,
                    subject=person.abha_number,
                    channel="api",
                    detail={
                        "record": record_id,
                        "hi_type": document.hi_type.value,
                        "care_context": context.reference,
                    },
                )
        except IntegrityError:  # a concurrent retry with the same key won the race
            if idempotency_key is None:  # pragma: no cover - no other unique index can clash
                raise
            replay = await self._replay(row, idempotency_key, request_digest, context)
            if replay is None:  # pragma: no cover - the idempotency index is the one that clashed
                raise
            return replay
        view = record_view(record, person.abha_number, row.name, context.reference)
        return StoredRecord(view, created=True, warnings=document.warnings)

    # --- a person's own documents ----------------------------------------------------------

    async def add_own_document(
        self, abha_number: str, *, title: str, content_type: str, data: bytes, channel: str
    ) -> RecordView:
        """Keep a person's own file (a PDF, a JPEG or PNG photo) as a HealthDocumentRecord."""
        if channel not in CHANNELS:
            raise ValueError(f"unknown channel {channel!r}")
        title = checks.check_display(title, "title")
        kind = own.check_file(content_type, data)
        person = await linkable_person(abha_number, None, suffix=self._suffix)
        now = self._clock.now().astimezone(IST)
        bundle = own.own_document_bundle(person.abha_number, title, kind, data, now, self._rng)
        document = parse_document(bundle, max_bytes=self.max_bundle_bytes)
        record_id = self._new_id()
        key_id, sealed = self._keyring.seal(bundle, record_id)
        async with in_transaction():
            record = await HealthRecord.create(
                id=record_id,
                person=person,
                source=RecordSource.SELF,
                hi_type=document.hi_type,
                date=document.date,
                display=title,
                size=len(bundle),
                key_id=key_id,
                sealed=sealed,
                created_at=self._clock.now(),
            )
            await self._audit.record(
                "record.stored",
                actor=person.abha_number,
                subject=person.abha_number,
                channel=channel,
                detail={"record": record_id, "hi_type": document.hi_type.value},
            )
        return record_view(record, person.abha_number, None, None)

    # --- a reader's side -------------------------------------------------------------------

    async def list_records(
        self,
        abha_number: str,
        hi_type: HiType | str | None = None,
        page: int = 1,
        page_size: int = 10,
    ) -> Page[RecordView]:
        """A person's records, newest first. Opens nothing, so it is not audited."""
        offset, limit = check_paging(page, page_size, error_code="records.invalid")
        person = await person_by_number(abha_number)
        query = HealthRecord.filter(person=person)
        if hi_type is not None:
            query = query.filter(hi_type=parse_hi_type(hi_type))
        total = await query.count()
        rows = (
            await query.order_by("-date", "-seq")
            .offset(offset)
            .limit(limit)
            .select_related("facility", "care_context")
        )
        views = tuple(self._view(row, person) for row in rows)
        return Page(views, page, page_size, total)

    async def read_record(self, record_id: str, *, reader: str, channel: str) -> OpenedRecord:
        """Open one record. The audit event is written before the bundle is returned: a read
        that cannot be audited does not happen."""
        if channel not in CHANNELS:
            raise ValueError(f"unknown channel {channel!r}")
        record = None
        if isinstance(record_id, str) and len(record_id) <= 36:
            record = await HealthRecord.get_or_none(id=record_id).select_related(
                "person", "facility", "care_context"
            )
        if record is None:
            raise NotFound("records.not_found")
        try:
            plain = self._keyring.open(record.key_id, record.sealed, record.id)
        except VaultError:
            log.exception("record %s does not open", record.id)
            raise Unreadable("records.unreadable") from None
        await self._audit.record(
            "record.read",
            actor=reader,
            subject=record.person.abha_number,
            channel=channel,
            detail={
                "record": record.id,
                "hi_type": record.hi_type.value,
                "facility": record.facility_id,  # type: ignore[attr-defined]
            },
        )
        return OpenedRecord(self._view(record, record.person), plain)

    # --- operations ------------------------------------------------------------------------

    async def rotate(self, batch_size: int = 100) -> int:
        """Re-seal every record not under the keyring's current key; returns how many (see
        core.records.rotation: safe while the service is up)."""
        return await reseal_all(self._keyring, batch_size)

    # --- internals -------------------------------------------------------------------------

    async def _verified(self, facility: FacilityView) -> Facility:
        """The facility as stored now: a view may be older than a revocation or a rejection."""
        row = await Facility.get_or_none(id=facility.id)
        if row is None:
            raise NotFound("facility.not_found")
        if row.status is not FacilityStatus.VERIFIED:
            raise Forbidden("facility.not_verified")
        return row

    async def _replay(
        self, facility: Facility, key: str, request_digest: str, context: CareContext
    ) -> StoredRecord | None:
        earlier = await HealthRecord.get_or_none(facility=facility, idempotency_key=key)
        if earlier is None:
            return None
        if not hmac.compare_digest(earlier.request_digest or "", request_digest):
            raise Conflict("records.idempotency_conflict")
        view = record_view(earlier, context.person.abha_number, facility.name, context.reference)
        return StoredRecord(view, created=False)

    def _view(self, record: HealthRecord, person: Person) -> RecordView:
        facility = record.facility
        context = record.care_context
        return record_view(
            record,
            person.abha_number,
            facility.name if facility else None,
            context.reference if context else None,
        )

    def _new_id(self) -> str:
        return str(uuid.UUID(int=self._rng.getrandbits(128), version=4))
