"""Link tokens: a facility adds visits to an ABHA only with the person's own say-so.

ABDM's rule, kept here: a facility links care contexts only with a link token the person
authorised. The facility asks (`request`); a 6-digit code goes by SMS to the mobile the ABHA
holds, naming the facility. The person either tells the code at the desk (the facility sends it
to `issue`) or replies "YES <code>" to the SMS (`answer`), after which the facility
takes its token without a code. The same answer comes from a tap on Yes / No in the person's
Telegram chats (core.records.link_notice) or from the USSD menu's prompt; "NO" refuses the
request (`answer`), after which no code gives a token. The token is bound to that facility and
that person, lives six months, and is kept only as a keyed hash.

Why unknown ABHAs get a request too: "201 for a real ABHA, 404 for a made-up one" told any
facility who has an ABHA. A request for a number that does not exist, or is not in use, is
stored with a code nobody was sent, so it answers exactly as a real one until a code is right.

Why the limits: three requests per facility per person per day (counted in the state store,
atomically, per person when known and per typed identifier otherwise) bound both the SMS a
facility can make a person receive and the codes it can try; five wrong codes end a request.
Every code check is a compare-and-set on the row, so racing guesses cannot exceed five.
The SMS also draws on the facility's daily notice budget for the person (core.records.notices):
past it the request stands but neither the SMS nor the chat notice is sent.

Why the answer needs no PIN: the code proves the person read this request on their own phone or
in a chat that proved their ABHA by OTP, and an answer only lets this facility *ask to add*
visits, which the person can see and the facility was going to bring anyway; the PIN guards
reading records and consents (docs/evidence.md, "Patient-authorised linking").
"""

from __future__ import annotations

import hashlib
import hmac
import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from core.audit.service import AuditLog
from core.clock import Clock
from core.errors import Conflict, Forbidden, InvalidInput, Locked, NotFound
from core.facilities.models import Facility, FacilityStatus
from core.facilities.views import FacilityView
from core.healthid import numbers
from core.healthid.models import Person, PersonStatus
from core.otp.codes import code_hash, code_matches, new_code, new_salt
from core.records.link_notice import LinkChats
from core.records.models import LinkRequest, LinkStatus
from core.records.notices import NoticeBudget
from core.records.people import named_person
from core.sms.outbox import SmsService
from core.state import StateStore

#: How long the code is good: long enough to walk to the desk or answer the SMS.
CODE_TTL = timedelta(minutes=30)
#: How long a token lets its facility link visits (ABDM: six months).
TOKEN_TTL = timedelta(days=183)
REQUESTS_PER_DAY = 3
MAX_ATTEMPTS = 5
DAY_SECONDS = 24 * 60 * 60
TOKEN_PREFIX = "alt_"  # noqa: S105 (a prefix, not a secret)
SMS_KEY = "sms.link.code"


@dataclass(frozen=True, slots=True)
class LinkRequestView:
    id: str
    status: LinkStatus
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class PendingLink:
    """A request waiting for the person's answer, as their menu shows it."""

    id: str
    facility: str
    abha_number: str
    created_at: datetime


#: What an answer did: "authorised" (YES), "refused" (NO), or the earlier answer that stands
#: ("authorised" / "refused" / "issued") when this one changed nothing.
Outcome = Literal["authorised", "refused", "issued"]


@dataclass(frozen=True, slots=True)
class LinkAnswer:
    facility: str
    outcome: Outcome
    #: False when the request had been answered before: this answer changed nothing.
    changed: bool


@dataclass(frozen=True, slots=True)
class IssuedToken:
    token: str
    expires_at: datetime


class LinkService:
    def __init__(
        self,
        secret_key: str,
        clock: Clock,
        rng: random.Random,
        state: StateStore,
        sms: SmsService,
        notices: NoticeBudget,
        *,
        chats: LinkChats,
        audit: AuditLog,
        abha_address_suffix: str,
    ) -> None:
        self._secret = secret_key
        self._token_key = hmac.new(secret_key.encode(), b"arogya.link-token.v1", "sha256").digest()
        self._clock = clock
        self._rng = rng
        self._state = state
        self._sms = sms
        self._notices = notices
        self._chats = chats
        self._audit = audit
        self._suffix = abha_address_suffix

    async def request(
        self,
        facility: FacilityView,
        *,
        abha_number: str | None = None,
        abha_address: str | None = None,
    ) -> LinkRequestView:
        """Ask the person; the same answer whether or not the ABHA exists.

        Errors: `records.invalid` (field abha: neither or both), `abha.invalid` (a malformed
        number), `link.rate_limited` (seconds).
        """
        row = await _verified(facility)
        person = await self._person(abha_number, abha_address)
        subject = f"person:{person.id}" if person else _typed(abha_number, abha_address)
        now = self._clock.now()
        day = now.date().isoformat()
        counter = f"link-requests:{row.id}:{_digest(self._token_key, subject)}:{day}"
        if await self._state.incr(counter, DAY_SECONDS) > REQUESTS_PER_DAY:
            raise Locked("link.rate_limited", seconds=DAY_SECONDS)
        request_id = str(uuid.UUID(int=self._rng.getrandbits(128), version=4))
        code, salt = new_code(self._rng), new_salt(self._rng)
        link = await LinkRequest.create(
            id=request_id,
            facility=row,
            person=person,
            code_salt=salt,
            code_hash=code_hash(self._secret, salt, request_id, code),
            created_at=now,
            expires_at=now + CODE_TTL,
        )
        # One notice, one draw on the budget: the SMS and the chats are the same news.
        if person is not None and await self._notices.spend(
            row.id, person.abha_number, kind="link", ref=link.id
        ):
            minutes = int(CODE_TTL.total_seconds() // 60)
            params = {"facility": row.name, "code": code, "minutes": minutes}
            if person.mobile:
                await self._sms.send(person.mobile, SMS_KEY, params, person.language)
            await self._chats.tell(
                person.abha_number, link.id, facility=row.name, code=code, minutes=minutes
            )
        return LinkRequestView(link.id, link.status, link.expires_at)

    async def status(self, facility: FacilityView, request_id: str) -> LinkRequestView:
        link = await self._own(facility, request_id)
        return LinkRequestView(link.id, link.status, link.expires_at)

    async def issue(self, facility: FacilityView, request_id: str, code: str | None) -> IssuedToken:
        """The token, for the code typed at the desk, or without one once the person said YES.

        Errors: `link.not_found`, `link.code_invalid` (attempts_left), `link.failed`,
        `link.expired`, `link.issued`.
        """
        while True:
            link = await self._own(facility, request_id)
            now = self._clock.now()
            status = link.status
            if status is LinkStatus.ISSUED:
                raise Conflict("link.issued")
            if status is LinkStatus.FAILED:
                raise Forbidden("link.failed")
            if status is LinkStatus.PENDING:
                if now >= link.expires_at:
                    raise Conflict("link.expired")
                if code is None:
                    left = MAX_ATTEMPTS - link.attempts
                    raise InvalidInput("link.code_invalid", attempts_left=left)
                if not await self._check(link, code.strip()):
                    continue  # a racing call moved the row: decide again
            token = TOKEN_PREFIX + self._rng.randbytes(24).hex()
            expires = now + TOKEN_TTL
            won = await LinkRequest.filter(
                id=link.id,
                status__in=(LinkStatus.PENDING, LinkStatus.AUTHORISED),
                attempts=link.attempts,
            ).update(
                status=LinkStatus.ISSUED,
                token_hash=_digest(self._token_key, token),
                token_expires_at=expires,
            )
            if won == 1:
                return IssuedToken(token, expires)

    async def _check(self, link: LinkRequest, code: str) -> bool:
        """True for the right code; raises for a wrong one (counted, compare-and-set)."""
        # a request for an unknown ABHA has no right code: nobody was sent one
        good = link.person_id is not None and code_matches(  # type: ignore[attr-defined]
            self._secret, link.code_salt, link.id, code, link.code_hash
        )
        if good:
            return True
        attempts = link.attempts + 1
        status = LinkStatus.FAILED if attempts >= MAX_ATTEMPTS else LinkStatus.PENDING
        won = await LinkRequest.filter(
            id=link.id, status=LinkStatus.PENDING, attempts=link.attempts
        ).update(attempts=attempts, status=status)
        if won != 1:
            return False
        if status is LinkStatus.FAILED:
            raise Forbidden("link.failed")
        raise InvalidInput("link.code_invalid", attempts_left=MAX_ATTEMPTS - attempts)

    async def pending_for(self, abha_numbers: Sequence[str]) -> list[PendingLink]:
        """The requests waiting for an answer from the holder of these ABHAs, newest first."""
        compact = [numbers.compact(number) for number in abha_numbers]
        if not compact:
            return []
        rows = (
            await LinkRequest.filter(
                person__abha_number__in=compact,
                status=LinkStatus.PENDING,
                expires_at__gt=self._clock.now(),
            )
            .select_related("facility", "person")
            .order_by("-created_at", "id")
        )
        return [
            PendingLink(
                row.id,
                str(row.facility.name),
                numbers.format(row.person.abha_number),
                row.created_at,
            )
            for row in rows
            if row.person is not None  # the filter named a person: always true
        ]

    async def answer(
        self,
        abha_numbers: Sequence[str],
        *,
        approve: bool,
        code: str | None = None,
        request_id: str | None = None,
        channel: str,
    ) -> LinkAnswer | None:
        """The person's YES / NO to the request their `code` (SMS, Telegram) or menu
        (`request_id`, USSD) names; None when it names none of theirs, or has expired.

        Only requests for `abha_numbers` (the phone's own ABHAs, or those the chat proved) are
        looked at, so a code from another phone or chat decides nothing, and a wrong code counts
        against no request. A request already answered keeps its answer (`changed` False): a
        double tap, or YES then NO, has one effect. The change is a compare-and-set on the row,
        so racing answers (and a racing desk code) decide it once.
        """
        compact = [numbers.compact(number) for number in abha_numbers]
        if not compact or (code is None) == (request_id is None):
            return None
        now = self._clock.now()
        query = LinkRequest.filter(person__abha_number__in=compact, expires_at__gt=now)
        if request_id is not None:
            query = query.filter(id=request_id)
        for link in await query.select_related("facility", "person"):
            if code is not None and not code_matches(
                self._secret, link.code_salt, link.id, code, link.code_hash
            ):
                continue
            return await self._decide(link, approve, channel)
        return None

    async def _decide(self, link: LinkRequest, approve: bool, channel: str) -> LinkAnswer:
        facility = str(link.facility.name)
        while True:
            if link.status is not LinkStatus.PENDING:
                return LinkAnswer(facility, _earlier(link), changed=False)
            status = LinkStatus.AUTHORISED if approve else LinkStatus.FAILED
            won = await LinkRequest.filter(
                id=link.id, status=LinkStatus.PENDING, attempts=link.attempts
            ).update(status=status)
            if won == 1:
                outcome: Outcome = "authorised" if approve else "refused"
                holder = link.person.abha_number if link.person is not None else ""
                await self._audit.record(
                    f"link.{outcome}",
                    actor=holder,
                    subject=holder,
                    channel=channel,
                    detail={"request": link.id, "facility": link.facility.id},
                )
                return LinkAnswer(facility, outcome, changed=True)
            await link.refresh_from_db(fields=["status", "attempts"])

    async def person_for(self, facility: FacilityView, token: str) -> Person:
        """The person a facility's live token names. Errors: `link.token_invalid`."""
        if not token.startswith(TOKEN_PREFIX):
            raise Forbidden("link.token_invalid")
        link = await LinkRequest.get_or_none(
            token_hash=_digest(self._token_key, token), facility_id=facility.id
        ).select_related("person")
        now = self._clock.now()
        if link is None or link.person is None or link.token_expires_at is None:
            raise Forbidden("link.token_invalid")
        if link.token_expires_at <= now or link.person.status is not PersonStatus.ACTIVE:
            raise Forbidden("link.token_invalid")
        return link.person

    async def person_linked(
        self,
        facility: FacilityView,
        token: str,
        *,
        abha_number: str | None = None,
        abha_address: str | None = None,
    ) -> Person:
        """The person a live token names; an ABHA given beside it must be that person's.

        Errors: `link.token_invalid` (also when the named ABHA is another, or no, person: whether
        it exists is not the facility's business).
        """
        person = await self.person_for(facility, token)
        if abha_number is not None or abha_address is not None:
            named = await self._person(abha_number, abha_address)
            if named is None or named.id != person.id:
                raise Forbidden("link.token_invalid")
        return person

    async def holds_token(self, facility_id: str, person_id: int) -> bool:
        """Whether the facility holds a live token for the person (a push is allowed)."""
        return await LinkRequest.exists(
            facility_id=facility_id,
            person_id=person_id,
            status=LinkStatus.ISSUED,
            token_expires_at__gt=self._clock.now(),
        )

    async def _person(self, abha_number: str | None, abha_address: str | None) -> Person | None:
        try:
            return await named_person(abha_number, abha_address, suffix=self._suffix)
        except (NotFound, Forbidden):
            return None  # answered exactly like a real one

    async def _own(self, facility: FacilityView, request_id: str) -> LinkRequest:
        await _verified(facility)
        try:
            uuid.UUID(request_id)
        except ValueError:
            raise NotFound("link.not_found") from None
        link = await LinkRequest.get_or_none(id=request_id, facility_id=facility.id)
        if link is None:
            raise NotFound("link.not_found")
        return link


def _earlier(link: LinkRequest) -> Outcome:
    """How a request already decided was decided: a FAILED request the person did not refuse
    ran out of desk codes, which for the person reads as "not given"."""
    if link.status is LinkStatus.ISSUED:
        return "issued"
    if link.status is LinkStatus.AUTHORISED:
        return "authorised"
    return "refused"


def _typed(abha_number: str | None, abha_address: str | None) -> str:
    return "".join(ch for ch in (abha_number or abha_address or "").lower() if ch.isalnum())


def _digest(key: bytes, value: str) -> str:
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


async def _verified(facility: FacilityView) -> Facility:
    row = await Facility.get_or_none(id=facility.id)
    if row is None or row.status is not FacilityStatus.VERIFIED:
        raise Forbidden("facility.not_verified")
    return row
