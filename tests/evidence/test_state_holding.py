"""`core.state.holding.hold`: one read and one write per turn, on both stores.

On Redis it is two Lua calls (lock + read, write + unlock), on the in-process store the plain
lock/get/set; both must read what is there, write only on a clean exit, and keep two holders of
one key from interleaving (tests/core/state/test_state_contract.py covers the primitives
underneath).
"""

from __future__ import annotations

import asyncio

import pytest

from core.state import StateStore
from core.state.holding import HoldingStore, hold

pytestmark = pytest.mark.evidence


async def test_hold_reads_once_and_writes_every_staged_key_on_release(state: StateStore) -> None:
    await state.set_json("conv:x", {"step": 1}, 60)
    async with hold(state, "conv:x", timeout=5) as held:
        assert held.value == {"step": 1}
        held.write("conv:x", {"step": 2}, 60)
        held.write("dlv:x:1", {"reply": "ok"}, 60)
        assert await state.get_json("conv:x") == {"step": 1}  # not before the release
    assert await state.get_json("conv:x") == {"step": 2}
    assert await state.get_json("dlv:x:1") == {"reply": "ok"}


async def failing_turn(state: StateStore) -> None:
    async with hold(state, "conv:y", timeout=5) as held:
        held.write("conv:y", {"step": 9}, 60)
        raise RuntimeError("a bug in a step")


async def test_hold_writes_nothing_when_the_turn_fails(state: StateStore) -> None:
    with pytest.raises(RuntimeError):
        await failing_turn(state)
    assert await state.get_json("conv:y") is None
    async with hold(state, "conv:y", timeout=1) as again:  # and the lock was let go
        assert again.value is None


async def test_two_holders_of_one_key_take_turns(state: StateStore) -> None:
    async def increment() -> None:
        async with hold(state, "conv:z", timeout=5) as held:
            count = (held.value or {"n": 0})["n"]
            await asyncio.sleep(0.01)
            held.write("conv:z", {"n": count + 1}, 60)

    await asyncio.gather(*(increment() for _ in range(10)))
    assert await state.get_json("conv:z") == {"n": 10}


async def overrun(state: StateStore) -> None:
    async with hold(state, "conv:w", timeout=0.05) as held:
        await asyncio.sleep(0.1)  # the lease lapses; another holder takes the key
        async with hold(state, "conv:w", timeout=1) as other:
            other.write("conv:w", {"by": "other"}, 60)
        held.write("conv:w", {"by": "late"}, 60)


async def test_a_holder_whose_lease_ran_out_writes_nothing(state: StateStore) -> None:
    if not isinstance(state, HoldingStore):
        pytest.skip("only Redis holds natively; the in-process lock has no lease to lose")
    with pytest.raises(TimeoutError):
        await overrun(state)
    assert await state.get_json("conv:w") == {"by": "other"}
