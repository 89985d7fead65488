"""A facility's link request in Telegram, through the real webhook and a real aiogram Bot on the
loopback Bot API fake (issue 15, item 1): the chat that proved the person's ABHA gets "Sanjeevani
Hospital wants to add your visits" with Yes / No buttons; Yes authorises (the facility then
takes its token without a code), a second press changes nothing, a code typed in someone else's
chat decides nothing, No refuses (no token, whatever code the desk types), and the notice draws
on the facility's daily notice budget like the SMS.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiogram import Bot

from core.audit.models import AuditEvent
from core.clock import FrozenClock
from core.errors import Forbidden
from core.facilities.views import FacilityView
from core.healthid.views import PersonView
from core.records.models import LinkRequest, LinkStatus
from core.state import StateStore
from testing.fakes.telegram_api import TelegramApiFake
from testing.fakes.telegram_updates import user
from testing.linking import sent_link_code
from testing.world import PHONE, World
from tests.webhooks.telegram.conftest import running_telegram
from tests.webhooks.telegram.phone import Telegram, TelegramPhone

NOTICE = "Sanjeevani Hospital wants to add your visits to your ABHA."


@pytest.fixture
async def telegram(
    db: str,
    state: StateStore,
    clock: FrozenClock,
    telegram_api: TelegramApiFake,
    telegram_bot: Bot,
) -> AsyncIterator[Telegram]:
    """The webhook app, with notices delivered to the chat (and by SMS) as production does."""
    async with running_telegram(
        telegram_api, telegram_bot, state, clock, deliver_notices=True
    ) as running:
        yield running


async def logged_in(
    telegram: Telegram, chat_id: int, name: str = "Asha", mobile: str = PHONE
) -> TelegramPhone:
    """A chat that proved `mobile` by OTP, so it acts for (and hears about) its ABHA."""
    phone = TelegramPhone(telegram, user(chat_id, name, language_code="en"), mobile)
    await phone.inbox.new(replies=True)  # the enrolment's OTP is not this chat's
    for action in ("/start", "tap: My ABHA", "share", "{otp}", "/menu"):
        await phone.send(action)
    return phone


async def asked(telegram: Telegram, person: PersonView) -> tuple[FacilityView, str, str]:
    """(facility, request id, code) of Sanjeevani Hospital's request, its notices delivered."""
    services = telegram.services
    facility = await World(services).facility("Sanjeevani Hospital")
    request = await services.links.request(facility, abha_address=person.address)
    await services.notifier.deliver_due()
    return facility, request.id, await sent_link_code(services, PHONE)


async def test_yes_in_the_chat_authorises_once_and_the_facility_takes_its_token(
    telegram: Telegram,
) -> None:
    services = telegram.services
    person = await World(services).person()
    phone = await logged_in(telegram, 880101)
    facility, request_id, code = await asked(telegram, person)

    notice = await phone.screen()
    assert notice[0].startswith(NOTICE), notice
    assert "[Yes] [No]" in notice
    copy, data = phone.button("Yes")
    assert data == f"say:YES {code}"

    done = await phone.send("tap: Yes")
    assert done[0].startswith("Done: Sanjeevani Hospital may now add your visits to your ABHA.")
    again = await phone.deliver(telegram.updates.callback(phone.user, copy, data))
    assert "You already allowed Sanjeevani Hospital to add your visits." in again[0]
    refused = await phone.send(f"NO {code}")  # a change of mind after the facility may link
    assert refused[0].startswith("You already allowed Sanjeevani Hospital")

    token = await services.links.issue(facility, request_id, None)  # no code needed now
    row = await LinkRequest.get(id=request_id).select_related("person")
    assert row.person is not None
    assert await services.links.holds_token(facility.id, row.person.id)
    assert token.token.startswith("alt_")
    events = await AuditEvent.filter(action="link.authorised")
    assert [event.channel for event in events] == ["telegram"]


async def test_someone_elses_chat_decides_nothing_and_no_refuses(telegram: Telegram) -> None:
    services = telegram.services
    world = World(services)
    person = await world.person()
    await world.person("+919811100000", handle="ravi.kumar", first_name="Ravi")
    mine = await logged_in(telegram, 880201)
    ravi = await logged_in(telegram, 880202, "Ravi", "+919811100000")
    facility, request_id, code = await asked(telegram, person)
    assert await ravi.screen() == []  # Ravi's chat never proved Asha's ABHA: no notice
    stranger = TelegramPhone(telegram, user(880203, "Nobody", language_code="en"))
    await stranger.send("/start")

    typed = await ravi.send(f"YES {code}")
    assert typed[0].startswith(
        "That code does not match a request for your ABHA, or it has expired."
    )
    cold = await stranger.send(f"YES {code}")
    assert cold[0].startswith("Open My Health ID and log in in this chat first")
    assert (await LinkRequest.get(id=request_id)).status is LinkStatus.PENDING

    await mine.screen()
    no = await mine.send("tap: No")
    assert no[0].startswith("Done: Sanjeevani Hospital will not add your visits.")
    assert (await LinkRequest.get(id=request_id)).status is LinkStatus.FAILED
    with pytest.raises(Forbidden) as refusal:  # the code told at the desk no longer works
        await services.links.issue(facility, request_id, code)
    assert refusal.value.code == "link.failed"
    yes = await mine.send(f"YES {code}")
    assert yes[0].startswith("You already said no to Sanjeevani Hospital. Nothing changed.")


async def test_the_chat_notice_draws_on_the_facility_notice_budget(telegram: Telegram) -> None:
    services = telegram.services
    person = await World(services).person()
    phone = await logged_in(telegram, 880301)
    services.notices.per_day = 1
    facility = await World(services).facility("Sanjeevani Hospital")
    for _ in range(2):
        await services.links.request(facility, abha_address=person.address)
    await services.notifier.deliver_due()
    shown = await phone.screen()
    assert [line for line in shown if line.startswith(NOTICE)] == [shown[0]]
    withheld = await AuditEvent.filter(action="notice.withheld").count()
    assert withheld == 1
