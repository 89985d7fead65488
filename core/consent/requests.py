"""A HIU asks: a consent request is checked, stored as REQUESTED, and its person is told.

Rules, in the order they are applied: the ask is well formed (`core.consent.ask`); the caller is
the HIU the ask names, and a VERIFIED facility; the requester is a VERIFIED doctor who works at
that facility, and the name stored and shown to the person is the registry's, not the one the
HIU sent; the patient is an active ABHA. The HIU's `requestId` makes the call idempotent: the
same id with the same content answers the request already stored (nothing is stored or told
twice), with other content it is refused. The request, its audit event and the notice to the
person are written in one transaction, so a person is never asked about a request that does not
exist.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass, replace
from datetime import timedelta

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from core.consent import notice
from core.consent.ask import CheckedAsk, ConsentAsk, check_ask
from core.consent.base import ConsentCore
from core.consent.models import ConsentRequest, ConsentStatus
from core.consent.views import ConsentView, consent_view
from core.errors import Conflict, Forbidden, NotFound
from core.facilities.models import Facility, FacilityStatus
from core.facilities.views import FacilityView
from core.healthid.models import Person
from core.records.people import named_person

#: Characters of an SMS reply code: no 0/O, 1/I/L, which people misread on a small screen.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 4
_ATTEMPTS = 8


@dataclass(frozen=True, slots=True)
class Requested:
    request: ConsentView
    #: False when the same requestId and content were received before.
    created: bool


class RequestSteps(ConsentCore):
    async def request(self, hiu: FacilityView, ask: ConsentAsk) -> Requested:
        """Store a request from `hiu` and queue its notice. Errors: `consent.invalid` (field),
        `consent.purpose_unknown`, `consent.hi_type_unknown`, `consent.date_range_order`,
        `consent.erase_at_past`, `consent.hiu_mismatch`, `facility.not_verified`,
        `consent.requester_not_verified`, `consent.requester_not_at_hiu`, `abha.*`,
        `address.invalid`,
        `consent.request_id_reused`."""
        checked = check_ask(ask, self._now())
        if checked.hiu_id != hiu.id:
            raise Forbidden("consent.hiu_mismatch")
        facility = await Facility.get_or_none(id=hiu.id)
        if facility is None or facility.status is not FacilityStatus.VERIFIED:
            raise Forbidden("facility.not_verified")
        # the name the person reads is the registry's, never the HIU's free text
        doctor = await self._professionals.requester_at(
            checked.council, checked.registration_number, facility.id
        )
        checked = replace(checked, requester_name=doctor.name)
        number, address = (
            (None, checked.patient) if "@" in checked.patient else (checked.patient, None)
        )
        person = await named_person(number, address, suffix=self._settings.abha_address_suffix)
        earlier = await self._earlier(facility, checked)
        if earlier is not None:
            return Requested(await self._view(earlier), created=False)
        for _ in range(_ATTEMPTS):
            try:
                view = await self._store(facility, person, checked)
            except IntegrityError:  # a code already used by this person, or a racing retry
                earlier = await self._earlier(facility, checked)
                if earlier is not None:
                    return Requested(await self._view(earlier), created=False)
                continue
            return Requested(view, created=True)
        raise Conflict("consent.request_id_reused")  # pragma: no cover - eight code clashes

    async def _earlier(self, facility: Facility, checked: CheckedAsk) -> ConsentRequest | None:
        row = await ConsentRequest.get_or_none(
            hiu_id=facility.id, hiu_request_id=checked.request_ref
        )
        if row is not None and not hmac.compare_digest(row.request_digest, checked.digest):
            raise Conflict("consent.request_id_reused")
        return row

    def _code(self) -> str:
        return "".join(self._rng.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))

    async def _store(self, facility: Facility, person: Person, checked: CheckedAsk) -> ConsentView:
        """Insert the request, its audit event and its notices in one transaction. The view is
        made from the rows at hand (a new request has no artefacts): no query reads back."""
        now = self._now()
        deadline = min(
            now + timedelta(days=self._settings.consent_request_deadline_days), checked.erase_at
        )
        async with in_transaction():
            row = await ConsentRequest.create(
                id=self._new_id(),
                code=self._code(),
                person=person,
                hiu=facility,
                hiu_request_id=checked.request_ref,
                request_digest=checked.digest,
                purpose=checked.purpose,
                purpose_text=checked.purpose_text,
                requester_name=checked.requester_name,
                requester_council=checked.council,
                requester_system=checked.requester_system or None,
                reach=checked.reach,
                requester_number=checked.registration_number,
                hi_types=list(checked.hi_types),
                access_mode=checked.access_mode,
                date_from=checked.date_from,
                date_to=checked.date_to,
                erase_at=checked.erase_at,
                frequency=checked.frequency,
                status=ConsentStatus.REQUESTED,
                deadline=deadline,
                created_at=now,
                updated_at=now,
            )
            await self._audit.record(
                "consent.requested",
                actor=facility.id,
                subject=person.abha_number,
                channel="api",
                detail={
                    "request": row.id,
                    "hiu": facility.id,
                    "purpose": checked.purpose,
                    "hi_types": list(checked.hi_types),
                    "requester": checked.requester_name,
                },
            )
            view = consent_view(row, person.abha_number, facility.name)
            await self._ask_person(view, person)
        return view

    async def _ask_person(self, view: ConsentView, person: Person) -> None:
        """Queue the notices: an SMS to the holder's mobile (the feature phone's way to answer)
        and a message with Approve/Deny buttons to every chat that proved that mobile. The
        person is the row `linkable_person` has just found active."""
        buttons = notice.answer_buttons(view.code)
        mobile, lang = person.mobile, person.language
        if mobile is not None:
            await self._notifier.notify(
                "sms",
                mobile,
                notice.NOTICE_KEY,
                notice.notice_params(view, lang),
                lang,
                dedupe_key=f"consent.request:{view.id}",
                buttons=buttons,
            )
        for chat in await self._channels.reach(view.abha_number):
            await self._notifier.notify(
                chat.channel,
                chat.address,
                notice.CHAT_NOTICE_KEY,
                notice.chat_params(view, chat.lang),
                chat.lang,
                dedupe_key=f"consent.request:{view.id}:{chat.channel}:{chat.address}",
                buttons=buttons,
            )

    async def request_for_hiu(self, hiu: FacilityView, request_id: str) -> ConsentView:
        """A request as its own HIU sees it; to any other HIU, `consent.request_not_found`."""
        row = None
        if isinstance(request_id, str) and len(request_id) <= 36:
            row = await ConsentRequest.get_or_none(id=request_id, hiu_id=hiu.id)
        if row is None:
            raise NotFound("consent.request_not_found")
        return await self._view(row)
