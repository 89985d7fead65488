"""A bill (ABDM's Invoice HI type), pushed by a facility and read to its end on a phone.

The holder has one record, the bill; on USSD and SMS, in English and Hindi, they log in, type
the PIN, open it and read every line of its summary (items, prices, total), while each USSD
page keeps to its budget and the state to 1 KB (the phone and `Weighed` check).
"""

from __future__ import annotations

import pytest

from core.clock import FrozenClock
from testing.facilities import verified_facility
from testing.records import INVOICE_FIXTURE
from tests.running import Running
from tests.webhooks.records.helpers import PIN, enrol_holder, phone_on, push, summary_lines
from tests.webhooks.records.reader import Reader
from tests.webhooks.records.test_reading import shown_in_order


@pytest.mark.parametrize(
    ("channel", "lang"), [("ussd", "en"), ("ussd", "hi"), ("sms", "en"), ("sms", "hi")]
)
async def test_a_bill_is_listed_by_its_name_and_read_whole(
    channel: str, lang: str, running: Running, clock: FrozenClock
) -> None:
    services = running.services
    person = await enrol_holder(services)
    facility, _ = await verified_facility(services.facilities)
    record = await push(services, person, INVOICE_FIXTURE, "BILL-1", facility)
    assert record.hi_type.value == "Invoice"
    weighed = await phone_on(channel, running, clock)
    reader = Reader(weighed, lang)
    if channel == "ussd":
        await weighed.dial()
    await weighed.send("HINDI" if lang == "hi" else "MENU")
    await weighed.send("3")  # My health records
    await weighed.send("1")  # log in with this number
    await weighed.send("{otp}")
    listing = await reader.send(PIN)
    assert listing.number("Bill 20-11-2024" if lang == "en" else "बिल 20-11-2024") == "1"
    text, _, _ = await reader.read_open_record(await reader.send("1"))
    shown_in_order(summary_lines(INVOICE_FIXTURE, lang), text)
    reads = await services.audit.events(
        subject=person.abha_number.replace("-", ""), action="record.read"
    )
    assert [event.detail["hi_type"] for event in reads] == ["Invoice"]
