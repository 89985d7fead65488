"""Approving only part of a consent request in Telegram, through the real webhook and a real
aiogram Bot on the loopback Bot API fake, in English and Hindi.

Asha logs in to "Consents" (her mobile proved by OTP), Sanjeevani Hospital asks for three
kinds of records from 01-01-2024 to 31-12-2025 (the clock reads 15-01-2026), and the notice
arrives in the chat with Approve/Deny. She keeps only test reports, only from Apollo Clinic, only
the last year, sees that in plain words, types her PIN, and the HIU hears of one artefact that
covers exactly that; its fetch releases the one record inside it. In English she comes through
"Consents"; in Hindi she presses the notice's own Approve button, and the PIN question offers
"Approve only part…".
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date

import pytest
from aiogram import Bot

from core.clock import FrozenClock
from core.consent.signing import verify
from core.facilities.views import FacilityView
from core.healthid.views import PersonView
from core.records.hitypes import HiType
from core.records.views import RecordView
from core.state import StateStore
from testing.fakes.telegram_api import TelegramApiFake
from testing.fakes.telegram_updates import user
from testing.golden import STATE_BUDGET_BYTES
from testing.world import PIN, World, ask
from tests.core.consent.hiu_server import HiuServer, hiu_server
from tests.webhooks.telegram.conftest import running_telegram
from tests.webhooks.telegram.phone import Telegram, TelegramPhone


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


@pytest.fixture
async def hiu() -> AsyncIterator[HiuServer]:
    async with hiu_server() as server:
        yield server


@dataclass
class Scene:
    person: PersonView
    apollo: FacilityView
    civic: FacilityView
    records: dict[str, RecordView]


async def scene(telegram: Telegram) -> Scene:
    world = World(telegram.services)
    person = await world.person()
    apollo = await world.facility("Apollo Clinic")
    civic = await world.facility("Civic Hospital")
    lab = HiType.DIAGNOSTIC_REPORT
    records = {
        "apollo_rx": await world.record(apollo, person, HiType.PRESCRIPTION, date(2024, 3, 1)),
        "apollo_lab_old": await world.record(apollo, person, lab, date(2024, 6, 1)),
        "apollo_lab": await world.record(apollo, person, lab, date(2025, 6, 1)),
        "civic_op": await world.record(civic, person, HiType.OP_CONSULTATION, date(2025, 1, 5)),
        "civic_lab": await world.record(civic, person, lab, date(2025, 9, 1)),
    }
    return Scene(person, apollo, civic, records)


class Weighed(TelegramPhone):
    """A phone whose conversation's stored state is weighed after every hop (docs/design.md §3)."""

    async def send(self, action: str) -> list[str]:
        shown = await super().send(action)
        raw = await self.tg.services.state.get_json(f"conv:telegram:{self.chat_id}")
        assert len(json.dumps(raw, ensure_ascii=False).encode()) < STATE_BUDGET_BYTES
        return shown


LABELS = {
    "en": {
        "menu": "Consents",
        "narrow": "Approve only part…",
        "done": "Done",
        "op": "OPD notes",
        "rx": "prescriptions",
        "lab": "test reports",
        "last_year": "Last year",
        "this": "Approve this",
        "approve": "Approve",
    },
    "hi": {
        "menu": "मेरी सहमतियाँ",
        "narrow": "केवल कुछ हिस्सा स्वीकार करें…",
        "done": "हो गया",
        "op": "ओपीडी परामर्श",
        "rx": "दवा के पर्चे",
        "lab": "जाँच रिपोर्ट",
        "last_year": "पिछला एक साल",
        "this": "यही स्वीकार करें",
        "approve": "स्वीकार करें",
    },
}
SUMMARY = {
    "en": "Sanjeevani Hospital (Dr. Meera Iyer) will see your test reports from 15-01-2025 to "
    "31-12-2025, kept at Apollo Clinic, until 30-06-2026.",
    "hi": "Sanjeevani Hospital (Dr. Meera Iyer) Apollo Clinic में रखे आपके 15-01-2025 से "
    "31-12-2025 तक के जाँच रिपोर्ट 30-06-2026 तक देख सकेगा।",
}
KEEP_KIND = {
    "en": "Keep at least one kind of record. To share nothing, deny the request instead.",
    "hi": "कम से कम एक तरह का रिकॉर्ड चुना रहने दें। कुछ भी न दिखाना हो तो अनुरोध अस्वीकार करें।",
}
DONE = {
    "en": "Approved. Sanjeevani Hospital can see these records until 30-06-2026.",
    "hi": "मंज़ूर। Sanjeevani Hospital 30-06-2026 तक आपके ये रिकॉर्ड देख सकेगा।",
}


async def logged_in(telegram: Telegram, chat_id: int, lang: str) -> Weighed:
    """Asha's chat in "Consents", her mobile proved by OTP (so the chat hears her notices)."""
    phone = Weighed(telegram, user(chat_id, "Asha", language_code=lang))
    await phone.inbox.new(replies=True)  # the enrolment's OTP is not this chat's
    for action in ("/start", f"tap: {LABELS[lang]['menu']}", "share", "{otp}"):
        await phone.send(action)
    return phone


@pytest.mark.parametrize("lang", ["en", "hi"])
async def test_a_chat_approves_only_part_and_the_hiu_gets_only_that(
    telegram: Telegram, hiu: HiuServer, lang: str
) -> None:
    labels, services = LABELS[lang], telegram.services
    s = await scene(telegram)
    phone = await logged_in(telegram, 990001 if lang == "en" else 990002, lang)
    world = World(services)
    hiu_view = await world.facility("Sanjeevani Hospital", callback_url=hiu.url)
    await world.doctor(works_at=[hiu_view])
    code = (await services.consent.request(hiu_view, ask(hiu_view, s.person.address))).request.code
    await services.notifier.deliver_due()
    notice = await phone.screen()
    assert f"[{labels['approve']}] [" in notice[1]  # Approve / Deny, in the chat's language

    if lang == "en":  # through "Consents" and the request
        for action in ("menu", f"tap: {labels['menu']}", f"tap: Asha Devi {s.person.address}"):
            await phone.send(action)
        request = await phone.send(f"tap: Sanjeevani Hospital asks ({code})")
        assert request[0].startswith("Dr. Meera Iyer of Sanjeevani Hospital asks to see your")
        assert request[1:] == ["[Approve]", "[Approve only part…]", "[Deny]", "[Back]"]
    else:  # the notice's own Approve button, wherever the chat stands: the PIN question
        # offers narrowing too
        pin = await phone.send(f"tap: {labels['approve']}")
        assert pin == [
            "Sanjeevani Hospital को ये रिकॉर्ड दिखाने के लिए अपना पिन लिखें",
            f"[{labels['narrow']}]",
        ]
        assert "reply_markup" not in telegram.api.sent(phone.chat_id)[-2]  # the notice closed

    kinds = await phone.send(f"tap: {labels['narrow']}")
    assert kinds[1:] == [f"[✓ {labels[k]}]" for k in ("op", "rx", "lab")] + [f"[{labels['done']}]"]
    await phone.send(f"tap: ✓ {labels['op']}")
    kinds = await phone.send(f"tap: ✓ {labels['rx']}")
    assert kinds[1:4] == [f"[✗ {labels['op']}]", f"[✗ {labels['rx']}]", f"[✓ {labels['lab']}]"]
    last = await phone.send(f"tap: ✓ {labels['lab']}")  # the last kind cannot go
    assert last[0].split("\n")[0] == KEEP_KIND[lang]
    places = await phone.send(f"tap: {labels['done']}")
    assert places[1:] == ["[✓ Apollo Clinic]", "[✓ Civic Hospital]", f"[{labels['done']}]"]
    await phone.send("tap: ✓ Civic Hospital")
    dates = await phone.send(f"tap: {labels['done']}")
    assert len(dates) == 5  # the question, "As asked" and three shorter spans
    summary = await phone.send(f"tap: {labels['last_year']}")
    assert summary[0] == SUMMARY[lang]
    assert summary[1] == f"[{labels['this']}]"
    await phone.send(f"tap: {labels['this']}")
    wrong = await phone.send("1111")  # the usual PIN handling: tries left, asked again
    assert wrong[0].startswith({"en": "That PIN is not correct.", "hi": "पिन सही नहीं है।"}[lang])
    done = await phone.send(PIN)
    assert done[0].split("\n")[0] == DONE[lang]

    await services.consent.callbacks.deliver_due()
    notification = hiu.deliveries[-1].body["notification"]
    assert notification["status"] == "GRANTED"
    [artefact] = notification["consentArtefacts"]
    claims = json.loads(verify(artefact["signedArtefact"], services.consent.jwks()))
    detail = claims["consentDetail"]
    assert detail["hip"]["id"] == s.apollo.id
    assert detail["hiTypes"] == ["DiagnosticReport"]
    # ABDM's date-times: 15 Jan to 31 Dec 2025, whole IST days, in UTC
    assert detail["permission"]["dateRange"] == {
        "from": "2025-01-14T18:30:00.000Z",
        "to": "2025-12-31T18:29:59.999Z",
    }
    page = await services.consent.fetch(hiu_view, artefact["id"], page_size=20)
    assert [opened.record.id for opened in page.records] == [s.records["apollo_lab"].id]
