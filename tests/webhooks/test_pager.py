"""One pager for USSD and SMS, over real HTTP: given the same budget, both channels cut a long
reply into the same pages and turn them with their own words, without disturbing the
conversation."""

from __future__ import annotations

from core.clock import FrozenClock
from core.sms.encoding import sms_size
from tests.webhooks.conftest import API_TOKEN, Serve
from tests.webhooks.phones import RecordingSms, SmsPhone, UssdPhone
from webhooks.pager import PageBudget

SEGMENT = PageBudget.segments(1)
MORE_LINE = "98. More"
ASKED_AGAIN = "Press a number shown on the screen; 0 to go back."


async def phones(
    serve: Serve, clock: FrozenClock, outbox: RecordingSms
) -> tuple[UssdPhone, SmsPhone]:
    """A USSD gateway whose page is one SMS segment, and SMS replies of one segment."""
    client = await serve(
        sms_api_token=API_TOKEN,
        sms_max_segments=1,
        ussd_gsm7_page_chars=SEGMENT.gsm7,
        ussd_ucs2_page_chars=SEGMENT.ucs2,
    )
    ussd = UssdPhone(client, clock, budget=SEGMENT)
    sms = SmsPhone(client, outbox, clock, route="json", api_token=API_TOKEN)
    return ussd, sms


async def both(ussd: UssdPhone, sms: SmsPhone, ussd_text: str, sms_text: str) -> str:
    """What each phone shows for its input; the same page, or the test fails."""
    [screen] = await ussd.send(ussd_text)
    [part] = await sms.send(sms_text)
    assert screen[4:] == part
    assert sms_size(part).segments == 1
    return part


async def test_a_long_reply_is_paged_alike_on_both_channels(
    serve: Serve, clock: FrozenClock, outbox: RecordingSms
) -> None:
    ussd, sms = await phones(serve, clock, outbox)
    await ussd.dial()
    await sms.send("Hi")
    pages = [await both(ussd, sms, "2", "2")]  # the fruits: too long for one segment
    assert pages[0].endswith(MORE_LINE)
    words = iter(["MORE", "next", "आगे", "98", "more"])
    while MORE_LINE in pages[-1]:
        pages.append(await both(ussd, sms, "98", next(words)))
    assert len(pages) >= 3
    assert await both(ussd, sms, "0", "0") == pages[-2]
    assert await both(ussd, sms, "98", "MORE") == pages[-1]
    assert (await both(ussd, sms, "98", "next")).startswith(ASKED_AGAIN)  # no page after the last


async def test_a_paging_word_with_no_page_that_way_is_an_answer_and_turning_disturbs_nothing(
    serve: Serve, clock: FrozenClock, outbox: RecordingSms
) -> None:
    ussd, sms = await phones(serve, clock, outbox)
    await ussd.dial()
    await sms.send("Hi")
    await both(ussd, sms, "2", "2")
    # no page before the first: "0" is the keypad's "back", to the question before
    assert (await both(ussd, sms, "0", "0")).startswith("Welcome to the demo.")
    await both(ussd, sms, "2", "2")
    await both(ussd, sms, "98", "MORE")
    assert (await both(ussd, sms, "98", "98")).endswith("12. Jackfruit from Kerala\n0. Back")
    assert (await both(ussd, sms, "12", "12")).startswith("Good choice!")
