"""Every record, read to its end over real USSD and SMS, in English and Hindi.

For each channel and language the holder logs in, types the PIN and reads all eight example
records, page by page and part by part. Every USSD page stays within its budget (the phone
checks), the conversation's state stays under 1 KB after every hop (`Weighed`), every line of
each summary is shown, in order, with the bundle's own clinical facts, and the audit log holds
one `record.read` per record opened (not per part), by the holder, on that channel.
"""

from __future__ import annotations

import pytest

from core.clock import FrozenClock
from flows.records.listing import PAGE_SIZE
from tests.running import Running
from tests.webhooks.records.helpers import FACTS, PIN, WORDS, Holder, phone_on, summary_lines
from tests.webhooks.records.reader import Reader


def squeeze(text: str) -> str:
    return " ".join(text.split())


def shown_in_order(expected: list[str], shown: list[str]) -> None:
    """Each expected line appears in what was shown, after the one before it (a line may be
    broken over two pages, at a space)."""
    text = squeeze(" ".join(shown))
    at = 0
    for line in expected:
        found = text.find(squeeze(line), at)
        assert found >= 0, f"{line!r} missing (or out of order) in {text!r}"
        at = found + len(squeeze(line))


@pytest.mark.parametrize(
    ("channel", "lang"), [("ussd", "en"), ("ussd", "hi"), ("sms", "en"), ("sms", "hi")]
)
async def test_every_summary_is_read_whole_and_audited(
    channel: str,
    lang: str,
    running: Running,
    holder: Holder,
    clock: FrozenClock,
) -> None:
    services = running.services
    weighed = await phone_on(channel, running, clock)
    reader = Reader(weighed, lang)
    if channel == "ussd":
        await weighed.dial()
    await weighed.send("HINDI" if lang == "hi" else "MENU")
    await weighed.send("3")  # My records
    await weighed.send("1")  # log in with this number
    await weighed.send("{otp}")
    screen = await reader.send(PIN)

    listed = (await services.records.list_records(holder.abha, page_size=50)).items
    names = {record.id: name for name, record in holder.records.items()}
    assert len(listed) == len(FACTS)
    parts_read: dict[str, int] = {}
    list_page = 1
    for position, record in enumerate(listed):
        screen, list_page = await reader.list_page(screen, position // PAGE_SIZE + 1, list_page)
        first = await reader.send(str(position % PAGE_SIZE + 1))
        text, parts, last = await reader.read_open_record(first)
        name = names[record.id]
        shown_in_order(summary_lines(name, lang), text)
        for fact in (*FACTS[name], WORDS[name][lang]):
            assert fact in squeeze(" ".join(text)), (name, fact)
        parts_read[record.id] = parts
        screen = await reader.back_to_list(last)

    # One audited read per opening: reading on, part after part, opens nothing again.
    reads = await services.audit.events(subject=holder.abha, action="record.read")
    read = [str(event.detail["record"]) for event in reads]
    assert sorted(read) == sorted(parts_read)
    for event, record_id in zip(reads, read, strict=True):
        assert (event.actor, event.channel) == (holder.abha, channel)
        assert event.detail["hi_type"] == holder.records[names[record_id]].hi_type
    assert max(parts_read.values()) > 1  # some summaries did need parts on this channel
    if channel == "sms":  # a part and its choices go as one message: no "98" needed
        assert reader.page_turns == 0
