"""Strikes (core/state/strikes.py): the rule, as a model, and its atomicity under a burst.

The model: checks are claimed one by one; the `limit`-th wrong one locks, every claim while
locked is refused, a right one forgives (or only gives its claim back), and the window and the
lock run on the caller's clock. The burst runs on the state store under test (Redis when
AROGYA_TEST_REDIS_URL is set), where it is the compare-and-set that keeps the count.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from core.state import StateStore
from core.state.memory import MemoryStateStore
from core.state.strikes import StrikeRule, Strikes, StruckOut

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
RULE = StrikeRule(limit=3, window=timedelta(minutes=15), lockout=timedelta(minutes=15))


async def _check(strikes: Strikes, right: bool, now: datetime, forgive: bool) -> str:
    """One check as a service makes it: "ok", "wrong" or "locked"."""
    try:
        claimed = await strikes.claim("s", now)
        if right:
            await strikes.succeed("s", now, forgive=forgive)
            return "ok"
        await strikes.fail("s", claimed, now)
    except StruckOut:
        return "locked"
    return "wrong"


@given(
    checks=st.lists(st.tuples(st.booleans(), st.integers(0, 20)), max_size=25),
    forgive=st.booleans(),
)
def test_strikes_follow_the_model(checks: list[tuple[bool, int]], forgive: bool) -> None:
    async def run() -> list[str]:
        strikes = Strikes(MemoryStateStore(), "t", RULE)
        now, answers = T0, []
        for right, minutes in checks:
            now += timedelta(minutes=minutes)
            answers.append(await _check(strikes, right, now, forgive))
        return answers

    expected, now = [], T0
    counted: int | None = None  # None: nothing stored yet (or an ended lock)
    since, until = T0, None
    for right, minutes in checks:
        now += timedelta(minutes=minutes)
        if until is not None and now < until:
            expected.append("locked")
            continue
        if counted is None or until is not None or now >= since + RULE.window:
            counted, since, until = 0, now, None
        counted += 1
        if counted > RULE.limit:  # cannot happen: the limit-th wrong one locks
            raise AssertionError("model")
        if right:
            counted = 0 if forgive else counted - 1
            expected.append("ok")
        elif counted == RULE.limit:
            counted, since, until = 0, now, now + RULE.lockout
            expected.append("locked")
        else:
            expected.append("wrong")
    assert asyncio.run(run()) == expected


async def test_a_burst_gets_exactly_the_limit_checked(state: StateStore) -> None:
    strikes = Strikes(state, "burst", RULE)
    answers = await asyncio.gather(*(_check(strikes, False, T0, True) for _ in range(20)))
    assert sorted(answers) == ["locked"] * 18 + ["wrong"] * 2  # the third wrong one locked
    assert await strikes.locked_until("s", T0) == T0 + RULE.lockout
    assert await _check(strikes, True, T0 + timedelta(minutes=14), True) == "locked"
    assert await _check(strikes, True, T0 + RULE.lockout, True) == "ok"
