"""The consent manager's one promise, as a property: over any history of requests, grants
(as asked or narrowed), denials, revocations, expiries, sweeps, clock jumps and fetches, a fetch
returns exactly the records a GRANTED, unexpired artefact covers (its person, its HIP, its HI
types, its dates) and only to the HIU it was granted to; anything else is refused.

The test keeps its own model of every request (what was asked, what was granted, its status)
and predicts every outcome from it: success or the refusal's code for each answer, and the exact
set of records for each fetch. The world (two people, two HIUs, three HIPs, records of several
kinds and dates) is built once; each example adds its own requests to it.
"""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TypeVar

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from core.clock import FrozenClock
from core.consent.ask import FREQUENCY_MAX
from core.consent.terms import HI_TYPES
from core.consent.views import Narrowing
from core.errors import ArogyaError
from core.facilities.views import FacilityView
from core.healthid.views import PersonView
from core.records.hitypes import HiType
from core.services import Services
from testing.world import PIN, World, ask

T = TypeVar("T")
DAYS = [date(2023, 6, 1), date(2024, 2, 10), date(2024, 9, 30), date(2025, 4, 15)]
KINDS = [HiType.PRESCRIPTION, HiType.DIAGNOSTIC_REPORT, HiType.OP_CONSULTATION]


@dataclass(frozen=True)
class Rec:
    id: str
    person: str
    hip: str
    kind: str
    day: date


@dataclass
class Req:
    code: str
    person: str
    hiu: str
    kinds: tuple[str, ...]
    start: date
    end: date
    erase_at: datetime
    deadline: datetime
    status: str = "REQUESTED"
    #: artefact id -> (hip, kinds, start, end)
    artefacts: dict[str, tuple[str, frozenset[str], date, date]] = field(default_factory=dict)


@dataclass
class Model:
    people: list[PersonView]
    hius: list[FacilityView]
    hips: list[FacilityView]
    records: list[Rec]
    requests: list[Req] = field(default_factory=list)

    def matching(
        self, req: Req, kinds: frozenset[str], start: date, end: date, hip: str | None = None
    ) -> set[str]:
        """The records of the request's person of these kinds and dates (at one HIP)."""
        return {
            r.id
            for r in self.records
            if r.person == req.person
            and r.kind in kinds
            and start <= r.day <= end
            and (hip is None or r.hip == hip)
        }

    def hips_holding(self, req: Req, kinds: frozenset[str], start: date, end: date) -> set[str]:
        ids = self.matching(req, kinds, start, end)
        return {r.hip for r in self.records if r.id in ids}


async def build(world: World) -> Model:
    people = [
        await world.person(),
        await world.person("+919876500000", handle="ravi.kumar", first_name="Ravi"),
    ]
    hius = [await world.facility("Sanjeevani Hospital"), await world.facility("City Clinic")]
    await world.doctor(works_at=hius)
    hips = [await world.facility(name) for name in ("Apollo", "Civic", "Lotus Labs")]
    records = []
    for n, (hip, kind, day) in enumerate(
        (hip, kind, day) for hip in hips for kind in KINDS for day in DAYS
    ):
        person = people[n % 2]
        stored = await world.record(hip, person, kind, day)
        records.append(Rec(stored.id, person.abha_number, hip.id, kind.value, day))
    return Model(people, hius, hips, records)


#: Mostly kinds the world's records have, sometimes any ABDM kind (one the world has none of).
kinds = st.one_of(st.sampled_from([kind.value for kind in KINDS]), st.sampled_from(HI_TYPES))
requests = st.tuples(
    st.just("request"),
    st.integers(0, 1),
    st.integers(0, 1),
    st.sets(kinds, min_size=1, max_size=4),
    st.integers(0, len(DAYS) - 1),
    st.integers(0, len(DAYS) - 1),
    st.integers(1, 40),
)
answers = st.one_of(
    st.tuples(
        st.just("grant"),
        st.integers(0, 50),
        st.sampled_from(["asked", "narrow", "narrow", "widen"]),
        st.integers(0, 255),
        st.integers(0, 3),
        st.integers(0, 400),
    ),
    st.tuples(
        st.just("grant"), st.integers(0, 50), st.just("asked"), st.just(0), st.just(0), st.just(0)
    ),
    st.tuples(st.just("deny"), st.integers(0, 50)),
    st.tuples(st.just("revoke"), st.integers(0, 50)),
    st.tuples(st.just("jump"), st.integers(1, 12 * 24)),
    st.tuples(st.just("sweep")),
    st.tuples(st.just("fetch"), st.integers(0, 50), st.integers(0, 3)),
    st.tuples(st.just("fetch"), st.integers(0, 50), st.integers(0, 3)),
    requests,
)
#: A history: a request or a few first (so most examples have something to answer), then a mix.
ops = st.tuples(
    st.lists(requests, min_size=1, max_size=3), st.lists(answers, min_size=4, max_size=20)
).map(lambda parts: parts[0] + parts[1])


async def attempt(call: Awaitable[T]) -> T | ArogyaError:
    """The call's result, or the refusal it raised (asserted on by the caller)."""
    try:
        return await call
    except ArogyaError as refusal:
        return refusal


class History:
    """One example's history, played against the services and the model side by side."""

    def __init__(self, services: Services, clock: FrozenClock, model: Model) -> None:
        self.consent = services.consent
        self.clock = clock
        self.model = model
        self.first = len(model.requests)  # this example's requests start here

    @property
    def mine(self) -> list[Req]:
        return self.model.requests[self.first :]

    def pick(self, index: int) -> Req | None:
        return self.mine[index % len(self.mine)] if self.mine else None

    async def play(self, history: list[tuple]) -> None:  # type: ignore[type-arg]
        for op in history:
            kind, *args = op
            if kind == "jump":
                self.clock.advance(hours=args[0])
            elif kind == "fetch":
                granted = [(req, a) for req in self.mine for a in req.artefacts]
                if granted:
                    req, artefact_id = granted[args[0] % len(granted)]
                    await self.fetch(req, artefact_id, own=bool(args[1]))
            else:
                await getattr(self, kind)(*args)
        # and at the end of every history, every artefact it made, by its own HIU and another
        for req in self.mine:
            for artefact_id in req.artefacts:
                for own in (True, False):
                    await self.fetch(req, artefact_id, own=own)

    async def request(
        self, who: int, hiu_n: int, kinds: set[str], a: int, b: int, keep_days: int
    ) -> None:
        now = self.clock.now()
        person, hiu = self.model.people[who], self.model.hius[hiu_n]
        start, end = sorted((DAYS[a], DAYS[b]))
        erase_at = now + timedelta(days=keep_days)
        ref = f"r{len(self.model.requests)}"
        kinds_asked = tuple(sorted(kinds))
        asked = ask(
            hiu,
            person.address,
            ref=ref,
            hi_types=kinds_asked,
            start=start,
            end=end,
            erase_at=erase_at,
            # scope is what this model checks; how often a HIU may fetch has its own test
            # (tests/webhooks/api/test_consent_frequency.py), so any number of fetches an hour
            frequency_repeats=FREQUENCY_MAX,
        )
        view = (await self.consent.request(hiu, asked)).request
        deadline = min(now + timedelta(days=7), erase_at)
        req = Req(
            view.code,
            person.abha_number,
            hiu.id,
            view.hi_types,
            view.date_from,
            view.date_to,
            erase_at,
            deadline,
        )
        self.model.requests.append(req)

    async def grant(
        self, index: int, mode: str, kinds_mask: int, hip_mask: int, shift: int
    ) -> None:
        req = self.pick(index)
        if req is None:
            return
        kinds, start, end = frozenset(req.kinds), req.start, req.end
        offered = self.model.hips_holding(req, kinds, start, end)  # what a narrowing picks from
        hips, narrow, widening = offered, None, False
        if mode != "asked":
            chosen = frozenset(k for n, k in enumerate(req.kinds) if kinds_mask >> n & 1)
            if mode == "widen":  # a kind the request did not ask for
                chosen |= {next(k for k in HI_TYPES if k not in req.kinds)}
            start = min(req.start + timedelta(days=shift), req.end)
            hip_ids = (frozenset(sorted(offered)[:hip_mask]) or None) if hip_mask else None
            narrow = Narrowing(hi_types=chosen or None, hip_ids=hip_ids, date_from=start)
            widening = not chosen <= kinds
            kinds = chosen or kinds
            hips = self.model.hips_holding(req, kinds, start, end) & (hip_ids or offered)
        now = self.clock.now()
        expect = (
            "consent.already_answered"
            if req.status != "REQUESTED"
            else "consent.request_expired"
            if now >= req.deadline
            else "consent.narrow_invalid"
            if widening
            else "consent.nothing_to_share"
            if not hips
            else None
        )
        outcome = await attempt(
            self.consent.grant(req.person, req.code, PIN, channel="telegram", narrow=narrow)
        )
        if isinstance(outcome, ArogyaError):
            assert outcome.code == expect
            event(f"grant refused: {outcome.code}")
            return
        assert expect is None
        event("grant: narrowed" if narrow else "grant: as asked")
        req.status = "GRANTED"
        assert {a.hip_id for a in outcome.artefacts} == hips
        for artefact in outcome.artefacts:
            assert frozenset(artefact.hi_types) == kinds
            assert (artefact.date_from, artefact.date_to) == (start, end)
            req.artefacts[artefact.id] = (artefact.hip_id, kinds, start, end)

    async def deny(self, index: int) -> None:
        await self.answer("deny", index)

    async def revoke(self, index: int) -> None:
        await self.answer("revoke", index)

    async def answer(self, kind: str, index: int) -> None:
        req = self.pick(index)
        if req is None:
            return
        now = self.clock.now()
        if kind == "deny":
            allowed = req.status == "REQUESTED" and now < req.deadline
        else:
            allowed = req.status == "GRANTED" and now < req.erase_at
        call = getattr(self.consent, kind)(req.person, req.code, PIN, channel="sms")
        outcome = await attempt(call)
        assert isinstance(outcome, ArogyaError) != allowed
        if allowed:
            req.status = "DENIED" if kind == "deny" else "REVOKED"

    async def sweep(self) -> None:
        now = self.clock.now()
        await self.consent.sweep()
        for req in self.mine:
            late_answer = req.status == "REQUESTED" and now >= req.deadline
            late_grant = req.status == "GRANTED" and now >= req.erase_at
            if late_answer or late_grant:
                req.status = "EXPIRED"

    async def fetch(self, req: Req, artefact_id: str, *, own: bool) -> None:
        """As the artefact's HIU (or another): exactly the model's records, or the refusal."""
        hiu = next(h for h in self.model.hius if (h.id == req.hiu) == own)
        hip, kinds, start, end = req.artefacts[artefact_id]
        live = req.status == "GRANTED" and self.clock.now() < req.erase_at
        outcome = await attempt(self.consent.fetch(hiu, artefact_id, page_size=20))
        if isinstance(outcome, ArogyaError):
            expected = (
                "consent.artefact_not_found"
                if not own
                else "consent.revoked"
                if req.status == "REVOKED"
                else "consent.expired"
                if not live
                else None
            )
            assert outcome.code == expected
            event(f"fetch refused: {outcome.code}")
            return
        assert own
        assert live
        got = {opened.record.id for opened in outcome.records}
        assert got == self.model.matching(req, kinds, start, end, hip)
        event(f"fetch released {min(len(got), 3)}{'+' if len(got) >= 3 else ''} records")
        for opened in outcome.records:  # and each one, by its own facts
            assert opened.record.facility_id == hip
            assert str(opened.record.hi_type) in kinds
            assert start <= opened.record.date <= end


class Bench:
    """The fixtures an example uses, with a short repr (Hypothesis prints a failing example's
    arguments), and the world, built by the first example and shared by the rest."""

    def __init__(self, services: Services, world: World, clock: FrozenClock) -> None:
        self.services, self.world, self.clock = services, world, clock
        self.model: Model | None = None

    def __repr__(self) -> str:
        return "Bench()"


@pytest.fixture
def bench(services: Services, world: World, clock: FrozenClock) -> Bench:
    return Bench(services, world, clock)


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(history=ops)
async def test_no_fetch_ever_leaves_a_granted_unexpired_artefacts_scope(
    bench: Bench,
    history: list[tuple],  # type: ignore[type-arg]
) -> None:
    if bench.model is None:
        bench.model = await build(bench.world)
    await History(bench.services, bench.clock, bench.model).play(history)
