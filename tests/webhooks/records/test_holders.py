"""The edges of reading records on a phone: a family's shared phone, a record pushed while the
list is on screen, what opens a record again (and is audited again) and what does not, a
record id that is not the holder's, and a type with no records."""

from __future__ import annotations

import random

import pytest

from core.clock import FrozenClock
from core.errors import NotFound
from flows import Context, ConversationKey
from flows.records.parts import split_summary, within
from flows.records.reading import PART_BYTES, VIEW, record_parts
from testing.facilities import verified_facility
from testing.healthid import enrol_with_mobile, profile
from tests.running import Running
from tests.webhooks.api.conftest import health_id
from tests.webhooks.journey_phones import PHONE
from tests.webhooks.records.helpers import (
    MOBILE,
    PIN,
    Holder,
    enrol_holder,
    phone_on,
    push,
    summary_of,
)

#: The newest of the examples (4 Jan 2024): first in the list.
NEWEST = "OP_Consultation_fhir_bundle.json"
PRESCRIPTION = "MAXRVH9999PrescriptionDoc20160805.json"
DISCHARGE = "MAXLIVNO15DischargeSummaryDoc20161209.json"


async def reads_of(running: Running, holder: Holder) -> int:
    return len(await running.services.audit.events(subject=holder.abha, action="record.read"))


async def test_a_family_phone_reads_only_the_chosen_holders_records(
    running: Running, holder: Holder, clock: FrozenClock
) -> None:
    ravi = await enrol_with_mobile(
        health_id(running.services),
        MOBILE,
        profile(first_name="Ravi", gender="M"),
        handle="ravi.kumar",
        pin="5937",
    )
    phone = await phone_on("ussd", running, clock)
    await phone.dial()
    whose = (await phone.send("3"))[0]  # USSD: the network proved the number, no OTP
    assert "Whose Health ID?" in whose
    assert f"2. {ravi.name} {ravi.address}" in whose  # a mobile alone: no number
    assert "Type your 4-digit PIN" in (await phone.send("2"))[0]
    assert "That PIN is not correct. Tries left: 4." in (await phone.send(PIN))[0]  # Sunita's
    none = (await phone.send("5937"))[0]
    assert "You have no health records yet." in none
    assert "1. Create ABHA" in none

    for text in ("3", "1"):
        await phone.send(text)
    assert "Your records (8), newest first:" in (await phone.send(PIN))[0]


async def test_a_record_pushed_while_the_list_is_on_screen_is_not_opened_by_mistake(
    running: Running, holder: Holder, clock: FrozenClock
) -> None:
    services = running.services
    phone = await phone_on("sms", running, clock)
    for text in ("ABHA", "3", "1", "{otp}"):
        await phone.send(text)
    assert "1. OP consultation 04-01-2024" in (await phone.send(PIN))[-1]
    facility, _ = await verified_facility(services.facilities)
    await push(services, holder.person, NEWEST, "VISIT-LATE", facility)

    changed = (await phone.send("1"))[-1]
    assert changed.startswith("Your list of records has just changed. Please choose again.\n")
    assert "Your records (9), newest first:" in changed
    assert await reads_of(running, holder) == 0  # nothing was opened on the old screen
    assert (await phone.send("1"))[-1].startswith("OP consultation, 4 Jan 2024\n")
    assert await reads_of(running, holder) == 1


async def test_reading_on_opens_nothing_again_but_a_new_language_or_lost_parts_do(
    running: Running, holder: Holder, clock: FrozenClock
) -> None:
    state = running.services.state
    view = ConversationKey("ussd", PHONE).state_key(VIEW)
    phone = await phone_on("ussd", running, clock)
    await phone.dial()
    for text in ("3", "1", "{otp}", PIN):
        await phone.send(text)
    assert "98. More (2/6)" in (await phone.send("1"))[0]  # the newest, in six parts
    await phone.send("98")  # part 2, its first screen
    assert "98. More (3/6)" in (await phone.send("98"))[0]  # its last: 98 still means more
    await phone.send("next")  # part 3, by the choice's id
    assert await reads_of(running, holder) == 1

    hindi = (await phone.send("HINDI"))[0]  # the same part, rendered anew in Hindi
    assert "भाषा: हिंदी।" in hindi
    assert await reads_of(running, holder) == 2

    await state.delete(view)  # the kept parts expired
    assert (await phone.send("next"))[0].startswith("CON जाँच में पाया गया:\n- Height: 170 CM")
    assert await reads_of(running, holder) == 3

    await phone.send("BACK")  # back at the list: the parts are forgotten
    assert await state.get_json(view) is None


async def test_a_record_that_is_not_the_holders_is_not_shown(
    running: Running, holder: Holder, clock: FrozenClock
) -> None:
    services = running.services
    neighbour = await enrol_with_mobile(
        health_id(services),
        "91234 56789",
        profile(first_name="Ramesh", gender="M"),
        handle="ramesh.kumar",
        pin="5937",
    )
    facility, _ = await verified_facility(services.facilities)
    theirs = await push(services, neighbour, NEWEST, "NEIGHBOUR-1", facility)
    ctx = Context(
        services=services,
        key=ConversationKey("ussd", PHONE),
        flow="records",
        step="record",
        lang="en",
        data={"abha": holder.abha, "open": theirs.id},
        clock=clock,
        rng=random.Random(1),
        ids=lambda: "c1",
    )
    with pytest.raises(NotFound):
        await record_parts(ctx)


async def test_types_may_be_typed_and_a_type_without_records_says_so(
    running: Running, clock: FrozenClock
) -> None:
    services = running.services
    person = await enrol_holder(services)
    facility, _ = await verified_facility(services.facilities)
    await push(services, person, PRESCRIPTION, "OPD-1", facility)
    phone = await phone_on("sms", running, clock)
    for text in ("ABHA", "3", "1", "{otp}"):
        await phone.send(text)
    assert (await phone.send(PIN))[-1] == (
        "Your records (1), newest first:\n1. Prescription 05-08-2016\n2. Choose a type"
    )
    await phone.send("2")
    assert (await phone.send("lab"))[-1] == "You have no records of this type.\n1. Choose a type"
    await phone.send("1")
    assert (await phone.send("RX"))[-1] == (
        "Prescriptions (1), newest first:\n1. Prescription 05-08-2016\n2. Choose a type"
    )


@pytest.mark.parametrize("lang", ["en", "hi"])
async def test_the_heaviest_screens_stay_under_1_kb(
    lang: str, running: Running, holder: Holder, clock: FrozenClock
) -> None:
    """The longest summary, filtered by type (the filter is kept), every part shown after a
    mistake and after help (both said before the part): the weighed phone holds every hop of it
    under 1 KB on USSD, with production-length ids."""
    phone = await phone_on("ussd", running, clock)
    await phone.dial()
    for text in ("HINDI" if lang == "hi" else "MENU", "3", "1", "{otp}", PIN, "4", "5", "1"):
        await phone.send(text)
    parts = split_summary(summary_of(DISCHARGE, lang), within(PART_BYTES["ussd"]))
    for part in range(len(parts)):
        await phone.send("7")  # no such choice: said before the part
        await phone.send("HELP")
        if part + 1 < len(parts):
            await phone.send("next")  # read on: "98" on the part's last screen, or its id
    assert len(parts) > 3
    assert phone.heaviest > 900  # these are the heavy screens the budget is set for
