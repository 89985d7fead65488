"""A mobile change in `abdm` mode: ABDM's login OTP proves the old mobile, its profile update
(`profile/account/request/otp`, `profile/account/verify`, with the X-token) the new one; the
loopback ABDM and the local mirror both end on the new mobile. A forgotten PIN is Arogya's own
in this mode too; the lost-SIM path is refused with a translated reply."""

from __future__ import annotations

import re

import pytest

from core.errors import ArogyaError
from core.healthid.models import Person
from core.recovery.models import Recovery
from core.services import Services
from tests.webhooks.abdm.conftest import PHONE, Abdm
from tests.webhooks.abdm.test_faults import finish, start

NEW = "+919123456789"
PIN = "4826"


async def mirrored(registry: Services, abdm: Abdm) -> str:
    number = await finish(registry, abdm, await start(registry))
    await registry.healthid.set_pin(number, PIN, channel="cli")
    return number


async def test_the_mobile_moves_at_abdm_and_in_the_mirror(registry: Services, abdm: Abdm) -> None:
    number = await mirrored(registry, abdm)
    healthid = registry.healthid
    change = await healthid.open_mobile_change(number, NEW, PIN, channel="ussd")
    old = await healthid.prove_old_mobile(change, lang="en")
    assert old.masked_mobile == "******3210"
    new = await healthid.confirm_mobile_holder(
        old.txn_id, abdm.fake.people.last_otp(PHONE), lang="en"
    )
    assert new.masked_mobile == "******6789"
    sealed = await Recovery.get(id=change)
    assert sealed.sealed_token is not None  # kept sealed only
    assert "Bearer" not in sealed.sealed_token

    with pytest.raises(ArogyaError) as wrong:
        await healthid.finish_mobile_change(new.txn_id, "000000", channel="ussd")
    assert wrong.value.code == "abdm.otp_invalid"
    changed = await healthid.finish_mobile_change(
        new.txn_id, abdm.fake.people.last_otp(NEW), channel="ussd"
    )

    assert (changed.old_mobile, changed.new_mobile) == (PHONE, NEW)
    formatted = changed.person.abha_number
    assert abdm.fake.people.abhas[formatted].mobile == "9123456789"  # ABDM has it
    assert (await Person.get(abha_number=number)).mobile == NEW  # and the mirror
    assert (await Recovery.get(id=change)).sealed_token is None  # the X-token is forgotten
    calls = abdm.fake.calls
    assert "/abha/api/v3/profile/account/request/otp" in calls
    assert "/abha/api/v3/profile/account/verify" in calls


async def test_a_forgotten_pin_is_reset_locally_in_abdm_mode(
    registry: Services, abdm: Abdm
) -> None:
    number = await mirrored(registry, abdm)
    healthid = registry.healthid
    ticket = await healthid.start_pin_reset(number, lang="hi", channel="ussd")
    sent = await registry.sms.sent_to(PHONE)
    assert sent[-1].message_key == "sms.otp"  # Arogya's own SMS, not ABDM's
    code = re.search(r"\b\d{6}\b", sent[-1].text)
    assert code is not None
    grant = await healthid.verify_pin_reset(ticket.txn_id, code.group(0), channel="ussd")
    await healthid.reset_pin(grant, "5931", channel="ussd")
    await healthid.verify_pin(number, "5931")


async def test_the_lost_sim_path_is_not_offered_in_abdm_mode(
    registry: Services, abdm: Abdm
) -> None:
    number = await mirrored(registry, abdm)
    change = await registry.healthid.open_mobile_change(number, NEW, PIN, channel="ussd")
    with pytest.raises(ArogyaError) as refused:
        await registry.healthid.prove_by_aadhaar(change, "999999990019", lang="en")
    assert refused.value.code == "recovery.lost_sim_abdm"
