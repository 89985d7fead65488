"""Enrolment drafts in the state store (core.healthid.drafts): kept across steps, one address
held by one live draft, forgotten when the conversation's time is up, no database row."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.clock import FrozenClock
from core.errors import ArogyaError
from core.healthid.drafts import Draft
from core.healthid.models import EnrolmentDraft, Kyc
from core.settings import Settings
from core.state.memory import MemoryStateStore
from testing.healthid import HealthIdWiring, build_health_id, last_otp, profile

MOBILE = "+919876543210"
OTHER = "+919876543211"


async def _with_profile(health: HealthIdWiring, mobile: str) -> str:
    ticket = await health.service.start_mobile(mobile, lang="hi", channel="ussd")
    code = await last_otp(health.sms, mobile)
    enrolment = await health.service.verify_mobile(ticket.txn_id, code)
    await health.service.set_profile(enrolment.draft_id, profile())
    return enrolment.draft_id


async def test_a_draft_lives_in_the_state_store_not_the_database(health: HealthIdWiring) -> None:
    draft_id = await _with_profile(health, MOBILE)
    await health.service.choose_address(draft_id, "sunita.devi")
    await health.service.set_draft_pin(draft_id, "5683")

    draft = await health.drafts.get(draft_id)
    assert draft is not None
    assert (draft.kyc, draft.mobile, draft.mobile_verified, draft.language) == (
        Kyc.SELF_DECLARED,
        MOBILE,
        True,
        "hi",
    )
    assert draft.address == "sunita.devi@sbx"
    assert draft.pin_hash is not None
    assert "5683" not in draft.pin_hash
    assert await EnrolmentDraft.all().count() == 0

    person = await health.service.finish(draft_id, channel="ussd")
    assert person.address == "sunita.devi@sbx"
    assert await health.drafts.get(draft_id) is None
    assert await health.drafts.by_txn(draft.txn_id) is None


async def test_a_chosen_address_is_held_only_while_its_draft_lives(
    health: HealthIdWiring, clock: FrozenClock, settings: Settings
) -> None:
    first = await _with_profile(health, MOBILE)
    await health.service.choose_address(first, "sunita.devi")
    second = await _with_profile(health, OTHER)
    with pytest.raises(ArogyaError) as taken:
        await health.service.choose_address(second, "sunita.devi")
    assert taken.value.code == "address.taken"
    assert "sunita.devi" not in await health.service.suggest_addresses(second)

    await health.service.choose_address(first, "sunita.devi88")  # changed its mind
    assert (await health.service.choose_address(second, "sunita.devi")).address == (
        "sunita.devi@sbx"
    )
    with pytest.raises(ArogyaError):
        await health.service.choose_address(first, "sunita.devi")

    clock.advance(seconds=settings.conversation_ttl_seconds + 1)  # the second one walked off
    third = await _with_profile(health, "+919876543212")
    assert (await health.service.choose_address(third, "sunita.devi")).address == (
        "sunita.devi@sbx"
    )


async def test_the_store_forgets_an_abandoned_draft(
    db: str, settings: Settings, clock: FrozenClock, rng: random.Random
) -> None:
    """The TTL, not a sweep, drops what a person typed and never finished."""
    store = MemoryStateStore(monotonic=lambda: clock.now().timestamp())
    health = build_health_id(settings, clock, rng, store)
    draft_id = await _with_profile(health, MOBILE)
    draft = await health.drafts.get(draft_id)
    assert draft is not None
    clock.advance(seconds=settings.conversation_ttl_seconds + 61)
    assert await health.drafts.get(draft_id) is None
    assert await health.drafts.by_txn(draft.txn_id) is None


_times = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
)
_text = st.text(max_size=40)


@given(
    kyc=st.sampled_from(Kyc),
    verified=st.booleans(),
    hmac=st.none() | st.text(alphabet="0123456789abcdef", min_size=64, max_size=64),
    demographics=st.none()
    | st.dictionaries(st.text(max_size=12), st.none() | st.integers() | _text, max_size=6),
    address=st.none() | _text,
    created=_times,
    life=st.integers(min_value=0, max_value=10**6),
)
def test_a_draft_reads_back_as_written(
    kyc: Kyc,
    verified: bool,
    hmac: str | None,
    demographics: dict[str, object] | None,
    address: str | None,
    created: datetime,
    life: int,
) -> None:
    draft = Draft(
        mobile=MOBILE,
        id="ab" * 16,
        txn_id="txn",
        kyc=kyc,
        mobile_verified=verified,
        aadhaar_hmac=hmac,
        aadhaar_last4=None if hmac is None else "0019",
        demographics=demographics,
        address=address,
        language="hi",
        channel="sms",
        created_at=created,
        expires_at=created + timedelta(seconds=life),
    )
    assert Draft.from_json(draft.to_json()) == draft
    assert draft.live_at(created) is (life > 0)
