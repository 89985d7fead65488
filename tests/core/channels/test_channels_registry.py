"""core.channels: a chat's language, the mobile it proved, the ABHAs it may act for, and who a
notice for an ABHA reaches. Real Health ID service, real database."""

from __future__ import annotations

import random

import pytest

from core.audit.service import AuditLog
from core.channels.service import ChannelService, Reach
from core.clock import FrozenClock
from core.errors import Forbidden
from core.settings import Settings
from testing.healthid import HealthIdWiring, build_health_id, enrol_with_mobile, profile

CHAT = "4242"
MOBILE = "+919876543210"


@pytest.fixture
def health(db: str, settings: Settings, clock: FrozenClock, rng: random.Random) -> HealthIdWiring:
    return build_health_id(settings, clock, rng)


@pytest.fixture
def channels(health: HealthIdWiring, clock: FrozenClock) -> ChannelService:
    return ChannelService(clock, health.audit)


async def test_a_chat_remembers_its_language(channels: ChannelService) -> None:
    assert await channels.language("telegram", CHAT) is None
    await channels.remember_language("telegram", CHAT, "hi")
    await channels.remember_language("telegram", CHAT, "hi")  # no change, no second row
    assert await channels.language("telegram", CHAT) == "hi"
    await channels.remember_language("telegram", CHAT, "en")
    assert await channels.language("telegram", CHAT) == "en"
    with pytest.raises(ValueError, match="language"):
        await channels.remember_language("telegram", CHAT, "fr")


async def test_caller_bugs_are_refused_before_anything_is_written(
    channels: ChannelService,
) -> None:
    with pytest.raises(ValueError, match="no 'sms'"):
        await channels.remember_language("sms", MOBILE, "en")
    with pytest.raises(ValueError, match="chat id"):
        await channels.language("telegram", "@asha")


async def test_link_switch_and_unlink_follow_the_verified_mobile(
    channels: ChannelService, health: HealthIdWiring
) -> None:
    asha = await enrol_with_mobile(health, MOBILE, profile(first_name="Asha"))
    ravi = await enrol_with_mobile(health, MOBILE, profile(first_name="Ravi", gender="M"))
    other = await enrol_with_mobile(health, "+919812345678", profile(first_name="Meena"))

    view = await channels.link("telegram", CHAT, mobile="98765 43210", abha_number=asha.abha_number)
    assert (view.mobile, view.abha_number) == (MOBILE, asha.abha_number)
    assert await channels.linked("telegram", CHAT) == [asha.abha_number, ravi.abha_number]

    switched = await channels.switch("telegram", CHAT, ravi.abha_number)
    assert switched.abha_number == ravi.abha_number
    with pytest.raises(Forbidden, match=r"channels\.not_linked"):
        await channels.switch("telegram", CHAT, other.abha_number)
    with pytest.raises(Forbidden, match=r"channels\.not_holder"):
        await channels.link("telegram", CHAT, mobile=MOBILE, abha_number=other.abha_number)

    assert await channels.reach(asha.abha_number) == [Reach("telegram", CHAT, "en")]
    assert await channels.reach(other.abha_number) == []

    await channels.unlink("telegram", CHAT)
    assert await channels.linked("telegram", CHAT) == []
    assert await channels.reach(asha.abha_number) == []
    with pytest.raises(Forbidden, match=r"channels\.not_linked"):
        await channels.switch("telegram", CHAT, asha.abha_number)
    actions = [(e.action, e.subject) for e in await health.audit.events(action=None)]
    compact = {p.abha_number.replace("-", "") for p in (asha, ravi)}
    channel_events = [(a, s) for a, s in actions if a.startswith("channel.")]
    expected = ["channel.linked", "channel.linked", "channel.unlinked"]  # link, switch, unlink
    assert [action for action, _ in channel_events] == expected
    assert {s for _, s in channel_events} <= compact


async def test_a_deactivated_or_moved_abha_stops_reaching_the_chat(
    channels: ChannelService, health: HealthIdWiring, clock: FrozenClock
) -> None:
    asha = await enrol_with_mobile(health, MOBILE, profile(first_name="Asha"))
    await channels.link("telegram", CHAT, mobile=MOBILE)  # verified, acting for nobody yet
    assert (await channels.endpoint("telegram", CHAT)) is not None
    assert await channels.reach(asha.abha_number) == [Reach("telegram", CHAT, "en")]

    await health.service.deactivate(asha.abha_number, channel="sms")

    assert await channels.reach(asha.abha_number) == []
    assert await channels.linked("telegram", CHAT) == []


async def test_audit_details_never_carry_the_chat_id(
    channels: ChannelService, health: HealthIdWiring, clock: FrozenClock
) -> None:
    asha = await enrol_with_mobile(health, MOBILE, profile())
    chat = "999999990019"  # a chat id that looks like an Aadhaar number must not reach the log
    await channels.link("telegram", chat, mobile=MOBILE, abha_number=asha.abha_number)
    [event] = await AuditLog(clock).events(action="channel.linked")
    assert event.detail == {"mobile": "******3210"}
    assert event.channel == "telegram"
