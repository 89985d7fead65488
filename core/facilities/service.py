"""`FacilityService`: register, verify and find facilities, and authenticate them as partners.

Lifecycle: DRAFT -> SUBMITTED -> VERIFIED, or SUBMITTED -> REJECTED (with a reason) -> corrected
and submitted again. Verification issues the first partner API key; keys can then be rotated
(the old one stops working at once) or revoked. Only a VERIFIED facility holding an unrevoked
key authenticates. Every change is audited (actions `facility.*`, subject the facility id).

    service = FacilityService(clock, rng, audit)
    draft = await service.register(FacilityDraft(...), actor="cli", submit=True)
    key = await service.verify(draft.id, admin="admin:asha")
    facility = await service.authenticate(key.api_key)
"""

from __future__ import annotations

import random
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from core.audit.service import AuditLog
from core.clock import Clock
from core.errors import Conflict, Forbidden, InvalidInput, NotFound
from core.facilities import ids, keys, lgd
from core.facilities.draft import (
    FacilityDraft,
    FacilityFields,
    check,
    check_enum,
    check_pincode,
    tidy,
)
from core.facilities.errors import Unauthenticated
from core.facilities.models import Facility, FacilityApiKey, FacilityStatus, FacilityType
from core.facilities.paging import Page, check_paging
from core.facilities.views import FacilityView, IssuedKey, facility_view

REASON_MAX = 500
QUERY_WORDS_MAX = 5
QUERY_WORD_MAX = 50
_ID_ATTEMPTS = 8
#: Compared against when a key id is unknown, so a miss costs what a hit costs.
_NO_SUCH_HASH = "0" * 64


def _columns(fields: FacilityFields) -> dict[str, Any]:
    return {
        "name": fields.name,
        "facility_type": fields.facility_type,
        "ownership": fields.ownership,
        "system_of_medicine": fields.system_of_medicine,
        "specialities": list(fields.specialities),
        "services": list(fields.services),
        "address": fields.address,
        "state_code": fields.state_code,
        "district_code": fields.district_code,
        "pincode": fields.pincode,
        "phone": fields.phone,
        "callback_url": fields.callback_url,
    }


class FacilityService:
    def __init__(
        self, clock: Clock, rng: random.Random, audit: AuditLog, *, development: bool = False
    ) -> None:
        """`development`: callback URLs may point at loopback (core.netcheck)."""
        self._development = development
        self._clock = clock
        self._rng = rng
        self._audit = audit

    # --- registration -------------------------------------------------------------------

    async def register(
        self, draft: FacilityDraft, *, actor: str, channel: str = "api", submit: bool = False
    ) -> FacilityView:
        """A new facility in DRAFT (or SUBMITTED at once with `submit=True`)."""
        fields = check(draft, development=self._development)
        now = self._clock.now()
        status = FacilityStatus.SUBMITTED if submit else FacilityStatus.DRAFT
        for _ in range(_ID_ATTEMPTS):
            facility_id = ids.generate(fields.state_code, self._rng)
            if await Facility.exists(id=facility_id):
                continue
            try:
                async with in_transaction():  # the row and its audit event, or neither
                    facility = await Facility.create(
                        id=facility_id,
                        status=status,
                        created_at=now,
                        updated_at=now,
                        submitted_at=now if submit else None,
                        **_columns(fields),
                    )
                    await self._record(
                        "facility.registered", facility_id, actor, channel, status=status.value
                    )
            except IntegrityError:  # drawn by a concurrent registration in between
                continue
            return facility_view(facility)
        raise Conflict("facility.id_exhausted")  # pragma: no cover - ~10^8 ids per state

    async def update(
        self, facility_id: str, draft: FacilityDraft, *, actor: str, channel: str = "api"
    ) -> FacilityView:
        """Correct a DRAFT or REJECTED facility. The id keeps its original state code."""
        fields = check(draft, development=self._development)
        editable = (FacilityStatus.DRAFT, FacilityStatus.REJECTED)
        facility = await self._transition(
            facility_id, editable, updated_at=self._clock.now(), **_columns(fields)
        )
        await self._record("facility.updated", facility.id, actor, channel)
        return facility_view(facility)

    async def submit(self, facility_id: str, *, actor: str, channel: str = "api") -> FacilityView:
        now = self._clock.now()
        facility = await self._transition(
            facility_id,
            (FacilityStatus.DRAFT, FacilityStatus.REJECTED),
            status=FacilityStatus.SUBMITTED,
            submitted_at=now,
            updated_at=now,
            rejection_reason=None,
        )
        await self._record("facility.submitted", facility.id, actor, channel)
        return facility_view(facility)

    # --- an administrator's decision ------------------------------------------------------

    async def verify(self, facility_id: str, *, admin: str, channel: str = "api") -> IssuedKey:
        """SUBMITTED -> VERIFIED, and the facility's first API key (shown once)."""
        now = self._clock.now()
        async with in_transaction():
            facility = await self._transition(
                facility_id,
                (FacilityStatus.SUBMITTED,),
                status=FacilityStatus.VERIFIED,
                decided_at=now,
                decided_by=admin,
                updated_at=now,
            )
            issued = await self._issue_key(facility)
            await self._record("facility.verified", facility.id, admin, channel, key=issued.key_id)
        return issued

    async def reject(
        self, facility_id: str, reason: str, *, admin: str, channel: str = "api"
    ) -> FacilityView:
        reason = tidy(reason) if isinstance(reason, str) else ""
        if not 3 <= len(reason) <= REASON_MAX:
            raise InvalidInput("facility.invalid", field="reason")
        now = self._clock.now()
        facility = await self._transition(
            facility_id,
            (FacilityStatus.SUBMITTED,),
            status=FacilityStatus.REJECTED,
            rejection_reason=reason,
            decided_at=now,
            decided_by=admin,
            updated_at=now,
        )
        await self._record("facility.rejected", facility.id, admin, channel, reason=reason)
        return facility_view(facility)

    # --- partner API keys ------------------------------------------------------------------

    async def rotate_key(self, facility_id: str, *, actor: str, channel: str = "api") -> IssuedKey:
        """A new key for a VERIFIED facility; every older key stops working in the same step."""
        async with in_transaction():
            facility = await self._facility(facility_id)
            if facility.status is not FacilityStatus.VERIFIED:
                raise Forbidden("facility.not_verified")
            revoked = await self._revoke_all(facility)
            issued = await self._issue_key(facility)
            await self._record(
                "facility.key_rotated",
                facility.id,
                actor,
                channel,
                key=issued.key_id,
                revoked=revoked,
            )
        return issued

    async def revoke_key(self, facility_id: str, *, actor: str, channel: str = "api") -> None:
        """Cut a facility off (a leaked key, a closed hospital) until a key is rotated in."""
        async with in_transaction():
            facility = await self._facility(facility_id)
            revoked = await self._revoke_all(facility)
            if not revoked:
                raise Conflict("facility.no_active_key")
            await self._record("facility.key_revoked", facility.id, actor, channel, keys=revoked)

    async def authenticate(self, api_key: str | None) -> FacilityView:
        """The facility a partner API key belongs to: VERIFIED and unrevoked, or a refusal.

        Wrong and unknown keys get the same answer; "revoked" is told only to a caller who
        holds the whole (old) key, so it leaks nothing a stranger could use."""
        if not isinstance(api_key, str) or not api_key.strip():
            raise Unauthenticated("facility.key_missing")
        parsed = keys.parse(api_key)
        if parsed is None:
            raise Unauthenticated("facility.key_invalid")
        row = await FacilityApiKey.get_or_none(key_id=parsed.key_id).select_related("facility")
        if not keys.secret_matches(parsed.secret, row.secret_hash if row else _NO_SUCH_HASH):
            raise Unauthenticated("facility.key_invalid")
        assert row is not None  # a match against _NO_SUCH_HASH is impossible
        if row.revoked_at is not None:
            raise Unauthenticated("facility.key_revoked")
        if row.facility.status is not FacilityStatus.VERIFIED:
            raise Forbidden("facility.not_verified")
        return facility_view(row.facility)

    # --- reading -----------------------------------------------------------------------------

    async def get(self, facility_id: str) -> FacilityView:
        return facility_view(await self._facility(facility_id))

    async def search(
        self,
        q: str | None = None,
        facility_type: FacilityType | str | None = None,
        district: int | None = None,
        pincode: str | None = None,
        page: int = 1,
        page_size: int = 10,
    ) -> Page[FacilityView]:
        """VERIFIED facilities, by name: every word of `q` must appear in the name or address."""
        offset, limit = check_paging(page, page_size, error_code="facility.invalid")
        query = Facility.filter(status=FacilityStatus.VERIFIED)
        words = tidy(q).split() if isinstance(q, str) else []
        if len(words) > QUERY_WORDS_MAX or any(len(word) > QUERY_WORD_MAX for word in words):
            raise InvalidInput("facility.invalid", field="q")
        for word in words:
            query = query.filter(Q(name__icontains=word) | Q(address__icontains=word))
        if facility_type is not None:
            query = query.filter(
                facility_type=check_enum(facility_type, FacilityType, "facility_type")
            )
        if district is not None:
            if type(district) is not int or not 1 <= district <= lgd.DISTRICT_CODE_MAX:
                raise InvalidInput("facility.invalid", field="district")
            query = query.filter(district_code=district)
        if pincode is not None:
            # Validated like a registration's: a longer string overflows the
            # column's type on PostgreSQL instead of simply matching nothing.
            query = query.filter(pincode=check_pincode(pincode))
        total = await query.count()
        rows = await query.order_by("name", "id").offset(offset).limit(limit)
        return Page(tuple(map(facility_view, rows)), page, page_size, total)

    async def by_status(
        self, status: FacilityStatus, page: int = 1, page_size: int = 10
    ) -> Page[FacilityView]:
        """An administrator's queue (SUBMITTED, oldest first)."""
        offset, limit = check_paging(page, page_size, error_code="facility.invalid")
        query = Facility.filter(status=status)
        total = await query.count()
        rows = await query.order_by("submitted_at", "created_at", "id").offset(offset).limit(limit)
        return Page(tuple(map(facility_view, rows)), page, page_size, total)

    # --- internals -------------------------------------------------------------------------

    async def _facility(self, facility_id: str) -> Facility:
        facility = None
        if isinstance(facility_id, str) and ids.is_valid(facility_id):
            facility = await Facility.get_or_none(id=facility_id)
        if facility is None:
            raise NotFound("facility.not_found")
        return facility

    async def _transition(
        self, facility_id: str, allowed: tuple[FacilityStatus, ...], **changes: Any
    ) -> Facility:
        """Apply `changes` only if the status is still one of `allowed` (one conditional UPDATE,
        so concurrent decisions cannot both succeed)."""
        facility = await self._facility(facility_id)
        updated = await Facility.filter(id=facility.id, status__in=list(allowed)).update(**changes)
        if not updated:
            current = await self._facility(facility_id)
            raise Conflict("facility.wrong_status", status=current.status.value)
        return await self._facility(facility_id)

    async def _issue_key(self, facility: Facility) -> IssuedKey:
        while True:
            text, parsed = keys.generate(self._rng)
            if not await FacilityApiKey.exists(key_id=parsed.key_id):
                break
        await FacilityApiKey.create(
            key_id=parsed.key_id,
            facility=facility,
            secret_hash=keys.hash_secret(parsed.secret),
            created_at=self._clock.now(),
        )
        return IssuedKey(facility_id=facility.id, key_id=parsed.key_id, api_key=text)

    async def _revoke_all(self, facility: Facility) -> list[str]:
        active = await FacilityApiKey.filter(facility=facility, revoked_at__isnull=True)
        await FacilityApiKey.filter(id__in=[row.id for row in active]).update(
            revoked_at=self._clock.now()
        )
        return [row.key_id for row in active]

    async def _record(
        self, action: str, facility_id: str, actor: str, channel: str, **detail: Any
    ) -> None:
        await self._audit.record(
            action, actor=actor, subject=facility_id, channel=channel, detail=detail
        )
