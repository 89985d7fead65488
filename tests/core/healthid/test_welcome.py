"""After a new Health ID: the welcome SMS always, and a chat (never a phone number) tied to it;
and the digest a conversation keeps between "PIN" and "PIN again"."""

from __future__ import annotations

import random

from core.channels.service import ChannelService
from core.clock import FrozenClock
from core.healthid import numbers, pins
from core.healthid.welcome import WELCOME_ADDRESS_SMS, WELCOME_SMS, Welcome
from core.settings import Settings
from testing.healthid import build_health_id, enrol_with_aadhaar, enrol_with_mobile, profile

MOBILE = "+919876543210"


async def test_a_new_holder_gets_the_welcome_sms_and_a_chat_is_tied_to_them(
    db: str, settings: Settings, clock: FrozenClock, rng: random.Random
) -> None:
    health = build_health_id(settings, clock, rng)
    channels = ChannelService(clock, health.audit)
    welcome = Welcome(health.sms, channels)
    person = await enrol_with_mobile(health, MOBILE, profile(), channel="telegram")

    await welcome.greet(person, mobile=MOBILE, channel="telegram", address="4242", lang="hi")

    sent = await health.sms.sent_to(MOBILE)
    # a mobile alone gave an ABHA address, not a number (ABDM's rule): the SMS names the address
    assert sent[-1].message_key == WELCOME_ADDRESS_SMS
    assert person.address in sent[-1].text
    assert numbers.compact(person.abha_number) not in sent[-1].text.replace("-", "")
    assert await channels.linked("telegram", "4242") == [person.abha_number]


async def test_on_a_phone_the_number_is_the_identity_so_nothing_is_tied(
    db: str, settings: Settings, clock: FrozenClock, rng: random.Random
) -> None:
    health = build_health_id(settings, clock, rng)
    channels = ChannelService(clock, health.audit)
    person = await enrol_with_aadhaar(health, "999999990019", MOBILE, channel="ussd")

    await Welcome(health.sms, channels).greet(
        person, mobile=MOBILE, channel="ussd", address=MOBILE, lang="en"
    )

    sent = (await health.sms.sent_to(MOBILE))[-1]
    assert sent.message_key == WELCOME_SMS
    assert person.abha_number in sent.text  # Aadhaar-verified: an ABHA number
    assert await channels.reach(person.abha_number) == []


def test_the_confirmation_digest_is_bound_to_its_scope_and_secret() -> None:
    digest = pins.confirmation_digest("4826", secret="s", scope="conv:ussd:+91:enrol")
    assert digest == pins.confirmation_digest("4826", secret="s", scope="conv:ussd:+91:enrol")
    assert len(digest) == 32
    assert digest != pins.confirmation_digest("4827", secret="s", scope="conv:ussd:+91:enrol")
    assert digest != pins.confirmation_digest("4826", secret="s", scope="conv:ussd:+91:myid")
    assert digest != pins.confirmation_digest("4826", secret="t", scope="conv:ussd:+91:enrol")
