"""Choosing an address just suggested as free needs no second look in the table (issue 18), and
still loses to another live draft's choice and to an ABHA that took it meanwhile."""

from __future__ import annotations

import pytest

from core.errors import ArogyaError
from testing.healthid import HealthIdWiring, last_otp, profile
from testing.statements import StatementCounter

MOBILE = "+919876543210"
OTHER = "+919876543211"


async def _with_profile(health: HealthIdWiring, mobile: str) -> str:
    ticket = await health.service.start_mobile(mobile, lang="en", channel="ussd")
    enrolment = await health.service.verify_mobile(
        ticket.txn_id, await last_otp(health.sms, mobile)
    )
    await health.service.set_profile(enrolment.draft_id, profile())
    return enrolment.draft_id


async def test_a_free_suggestion_is_chosen_without_sql(health: HealthIdWiring) -> None:
    draft_id = await _with_profile(health, MOBILE)
    [first, *_] = await health.service.suggest_addresses(draft_id)
    with StatementCounter() as counter:
        chosen = await health.service.choose_address(draft_id, first)
    assert chosen.address == f"{first}@sbx"
    assert counter.total == 0
    with StatementCounter() as counter:  # a handle of its own is looked up as before
        await health.service.choose_address(draft_id, "asha.rani77")
    assert counter.counts["SELECT"] == 1


async def test_a_suggestion_another_draft_chose_first_is_refused(health: HealthIdWiring) -> None:
    mine, theirs = await _with_profile(health, MOBILE), await _with_profile(health, OTHER)
    offered = await health.service.suggest_addresses(mine)
    assert offered == await health.service.suggest_addresses(theirs)  # the same name
    await health.service.choose_address(theirs, offered[0])
    with pytest.raises(ArogyaError) as taken:
        await health.service.choose_address(mine, offered[0])
    assert taken.value.code == "address.taken"


async def test_a_suggestion_an_abha_took_meanwhile_is_refused_at_finish(
    health: HealthIdWiring,
) -> None:
    mine, theirs = await _with_profile(health, MOBILE), await _with_profile(health, OTHER)
    offered = await health.service.suggest_addresses(mine)
    await health.service.suggest_addresses(theirs)
    await health.service.choose_address(theirs, offered[0])
    await health.service.finish(theirs, channel="ussd")  # an ABHA holds it now, no draft
    await health.service.choose_address(mine, offered[0])  # taken from the suggestion list
    with pytest.raises(ArogyaError) as taken:
        await health.service.finish(mine, channel="ussd")
    assert taken.value.code == "address.taken"
