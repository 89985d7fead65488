"""A person answers: approve (all, or less than was asked), deny, and later revoke; and lists.

Every answer names the request by the person's ABHA and the request's short code, and carries
the PIN: a code alone (it travels by SMS) never moves a consent. The PIN is checked after the
request is found answerable, so a stale code costs no PIN attempt, and before anything changes;
its lockout is the Health ID registry's (`pin.invalid` with attempts left, then `pin.locked`).

A grant creates one artefact per HIP holding matching care contexts, each signed, in the same
transaction as the status change, its audit event and the HIU's callback. Revoking ends every
artefact of the request at once: the next fetch is refused.
"""

from __future__ import annotations

from collections.abc import Sequence

from tortoise.transactions import in_transaction

from core.consent.artefacts import artefact_claims
from core.consent.base import ConsentCore
from core.consent.models import ConsentArtefact, ConsentRequest, ConsentStatus
from core.consent.requests import CODE_ALPHABET, CODE_LENGTH
from core.consent.scope import hip_choices, plan_grant
from core.consent.views import ConsentView, GrantScope, Narrowing
from core.errors import Conflict, Forbidden, NotFound
from core.healthid import numbers
from core.healthid.models import Person, PersonStatus
from core.records.people import person_by_number

#: How many requests a list shows at most (a phone screen holds a handful).
LIST_LIMIT = 20
OPEN = ConsentStatus.REQUESTED
ENDED = (ConsentStatus.DENIED, ConsentStatus.REVOKED, ConsentStatus.EXPIRED)


def clean_code(code: object) -> str | None:
    text = code.strip().upper() if isinstance(code, str) else ""
    if len(text) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in text):
        return None
    return text


class AnswerSteps(ConsentCore):
    # --- reading ---------------------------------------------------------------------------

    async def pending(self, abha_number: str) -> list[ConsentView]:
        """Requests waiting for an answer, newest first (none past its deadline)."""
        person = await person_by_number(abha_number)
        rows = (
            await ConsentRequest.filter(person_id=person.id, status=OPEN, deadline__gt=self._now())
            .order_by("-seq")
            .limit(LIST_LIMIT)
        )
        return [await self._view(row) for row in rows]

    async def active(self, abha_number: str) -> list[ConsentView]:
        """Grants still in force, newest first."""
        person = await person_by_number(abha_number)
        rows = (
            await ConsentRequest.filter(
                person_id=person.id, status=ConsentStatus.GRANTED, erase_at__gt=self._now()
            )
            .order_by("-seq")
            .limit(LIST_LIMIT)
        )
        return [await self._view(row) for row in rows]

    async def past(self, abha_number: str) -> list[ConsentView]:
        """Denied, revoked and expired requests, most recently changed first."""
        person = await person_by_number(abha_number)
        rows = (
            await ConsentRequest.filter(person_id=person.id, status__in=list(ENDED))
            .order_by("-updated_at", "-seq")
            .limit(LIST_LIMIT)
        )
        return [await self._view(row) for row in rows]

    async def find(self, abha_number: str, code: str) -> ConsentView:
        """One of the person's requests by its code; `consent.not_found` for any other code."""
        row, _ = await self._own(abha_number, code)
        return await self._view(row)

    async def find_by_id(self, abha_number: str, request_id: str) -> ConsentView:
        person = await person_by_number(abha_number)
        row = await ConsentRequest.get_or_none(id=str(request_id)[:36], person_id=person.id)
        if row is None:
            raise NotFound("consent.not_found")
        return await self._view(row)

    async def find_among(self, abha_numbers: Sequence[str], code: str) -> ConsentView | None:
        """The request with this code among several ABHAs (a family's phone), or None."""
        cleaned = clean_code(code)
        if cleaned is None:
            return None
        compact = [numbers.parse(number) for number in abha_numbers]
        row = (
            await ConsentRequest.filter(person__abha_number__in=compact, code=cleaned)
            .order_by("-seq")
            .first()
        )
        return None if row is None else await self._view(row)

    async def grant_scope(self, abha_number: str, code: str) -> GrantScope:
        """What a grant could cover: the HIPs holding matching care contexts, and their types."""
        row, _ = await self._own(abha_number, code)
        return GrantScope(await self._view(row), await hip_choices(row))

    # --- answering -------------------------------------------------------------------------

    async def grant(
        self,
        abha_number: str,
        code: str,
        pin: str,
        *,
        channel: str,
        narrow: Narrowing | None = None,
    ) -> ConsentView:
        """Approve, as asked or narrowed. Errors: `consent.not_found`,
        `consent.already_answered` (status), `consent.request_expired`, `pin.*`,
        `consent.narrow_invalid` (field), `consent.nothing_to_share`."""
        self._check_channel(channel)
        row, person = await self._own(abha_number, code)
        self._answerable(row)
        await self._healthid.verify_pin(person.abha_number, pin)
        plan = await plan_grant(row, narrow)
        now = self._now()
        async with in_transaction():
            if not await self._move(
                row, OPEN, ConsentStatus.GRANTED, decided_at=now, decided_channel=channel
            ):
                raise Conflict("consent.already_answered", status=await self._status_of(row))
            # Again, after the move: a deletion (or deactivation) that began since the PIN was
            # checked wins, and this grant rolls back (core.consent.erasure ends the rest).
            if not await Person.filter(id=person.id, status=PersonStatus.ACTIVE).exists():
                raise Forbidden("abha.inactive")
            await row.fetch_related("hiu")
            made = []
            for contexts in plan.hips.values():
                hip = contexts[0].facility
                artefact_id = self._new_id()
                claims = artefact_claims(
                    artefact_id, row, person, row.hiu, hip, plan, contexts, now
                )
                await ConsentArtefact.create(
                    id=artefact_id,
                    request=row,
                    person=person,
                    hiu_id=row.hiu.id,
                    hip=hip,
                    hi_types=list(plan.hi_types),
                    date_from=plan.date_from,
                    date_to=plan.date_to,
                    erase_at=row.erase_at,
                    care_contexts=[context.id for context in contexts],
                    status=ConsentStatus.GRANTED,
                    signed=self.signer.sign(claims),
                    created_at=now,
                    updated_at=now,
                )
                made.append(artefact_id)
            await self._audit_request(
                "consent.granted",
                row,
                actor=person.abha_number,
                channel=channel,
                artefacts=made,
                hips=list(plan.hips),
                hi_types=list(plan.hi_types),
                narrowed=narrow is not None,
            )
            await self._announce(row)
        return await self._view(row)

    async def deny(self, abha_number: str, code: str, pin: str, *, channel: str) -> ConsentView:
        """Refuse. Errors as for `grant`, without the narrowing ones."""
        self._check_channel(channel)
        row, person = await self._own(abha_number, code)
        self._answerable(row)
        await self._healthid.verify_pin(person.abha_number, pin)
        async with in_transaction():
            if not await self._move(
                row, OPEN, ConsentStatus.DENIED, decided_at=self._now(), decided_channel=channel
            ):
                raise Conflict("consent.already_answered", status=await self._status_of(row))
            await self._audit_request(
                "consent.denied", row, actor=person.abha_number, channel=channel
            )
            await self._announce(row)
        return await self._view(row)

    async def revoke(self, abha_number: str, code: str, pin: str, *, channel: str) -> ConsentView:
        """End a grant now, every artefact of it. Errors: `consent.not_found`,
        `consent.not_active` (status), `pin.*`."""
        self._check_channel(channel)
        row, person = await self._own(abha_number, code)
        if row.status is not ConsentStatus.GRANTED or row.erase_at <= self._now():
            raise Conflict("consent.not_active", status=row.status.value)
        await self._healthid.verify_pin(person.abha_number, pin)
        async with in_transaction():
            if not await self._move(row, ConsentStatus.GRANTED, ConsentStatus.REVOKED):
                raise Conflict("consent.not_active", status=await self._status_of(row))
            await self._end_artefacts(row, ConsentStatus.REVOKED)
            await self._audit_request(
                "consent.revoked", row, actor=person.abha_number, channel=channel
            )
            await self._announce(row)
        return await self._view(row)

    # --- internals -------------------------------------------------------------------------

    async def _own(self, abha_number: str, code: str) -> tuple[ConsentRequest, Person]:
        person = await person_by_number(abha_number)
        cleaned = clean_code(code)
        row = None
        if cleaned is not None:
            row = await ConsentRequest.get_or_none(person_id=person.id, code=cleaned)
        if row is None:
            raise NotFound("consent.not_found")
        return row, person

    def _answerable(self, row: ConsentRequest) -> None:
        if row.status is not OPEN:
            raise Conflict("consent.already_answered", status=row.status.value)
        if row.deadline <= self._now():
            raise Conflict("consent.request_expired")

    @staticmethod
    async def _status_of(row: ConsentRequest) -> str:
        current = await ConsentRequest.get(seq=row.seq)
        return ConsentStatus(current.status).value
