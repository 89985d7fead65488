"""Approving only part of a request on a chat channel, driven through the engine with buttons:
fewer kinds, fewer places, a shorter range, a summary, the PIN; the artefacts cover exactly that
and a fetch by the HIU releases nothing else. USSD and SMS are never offered it.

The frozen clock reads 15-01-2026 (IST), and the request asks for 01-01-2024 to 31-12-2025, so
"Last year" is 15-01-2025 to 31-12-2025.
"""

from __future__ import annotations

import json
import random
from datetime import date

from core.clock import FrozenClock
from core.consent.models import ConsentStatus
from core.facilities.views import FacilityView
from core.healthid.views import PersonView
from core.records.hitypes import HiType
from core.records.views import RecordView
from core.services import Services
from flows import Context, ConversationKey, Input, Message, Reply, msg
from flows.consent.answer import ConfirmStep, RequestStep
from flows.consent.keep import months_before, spans
from flows.registry import health_engine
from locales import translate
from testing.golden import STATE_BUDGET_BYTES
from testing.world import PHONE, PIN, World, ask

CHAT = ConversationKey("telegram", "4242")


def keys(reply: Reply) -> list[str]:
    return [m.key for m in reply.messages]


def ids(reply: Reply) -> list[str]:
    return [c.id for c in reply.choices]


def labels(reply: Reply) -> list[tuple[str, object]]:
    """Each choice's key and the name it shows (a kind is a nested key, said in the reply's
    language)."""

    def shown(name: object) -> object:
        return translate(name.key, reply.lang) if isinstance(name, Message) else name

    return [(c.label_key, shown(c.label_params.get("name"))) for c in reply.choices]


class Chat:
    """The engine on the chat's key; after every hop its stored state is weighed
    (docs/design.md §3)."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.engine = health_engine(services)

    async def __call__(self, **given: str) -> Reply:
        handled = await self.engine.handle(CHAT, Input(**given))  # type: ignore[arg-type]
        raw = await self.services.state.get_json(CHAT.state_key())
        assert len(json.dumps(raw, ensure_ascii=False).encode()) < STATE_BUDGET_BYTES
        return handled


async def scene(
    services: Services, world: World
) -> tuple[PersonView, FacilityView, FacilityView, FacilityView, dict[str, RecordView], str]:
    """Records at two HIPs, a chat linked to the person, and a request waiting (its code)."""
    person = await world.person()
    apollo = await world.facility("Apollo Clinic")
    civic = await world.facility("Civic Hospital")
    records = {
        "apollo_rx": await world.record(apollo, person, HiType.PRESCRIPTION, date(2024, 3, 1)),
        "apollo_lab_old": await world.record(
            apollo, person, HiType.DIAGNOSTIC_REPORT, date(2024, 6, 1)
        ),
        "apollo_lab": await world.record(
            apollo, person, HiType.DIAGNOSTIC_REPORT, date(2025, 6, 1)
        ),
        "civic_op": await world.record(civic, person, HiType.OP_CONSULTATION, date(2025, 1, 5)),
        "civic_lab": await world.record(civic, person, HiType.DIAGNOSTIC_REPORT, date(2025, 9, 1)),
    }
    await services.channels.link(
        "telegram", CHAT.subject, mobile=PHONE, abha_number=person.abha_number
    )
    hiu = await world.facility("Sanjeevani Hospital")
    await world.doctor(works_at=[hiu])
    code = (await services.consent.request(hiu, ask(hiu, person.address))).request.code
    return person, hiu, apollo, civic, records, code


async def to_request(chat: Chat, code: str) -> Reply:
    await chat(text="menu")
    await chat(choice="consents")
    await chat(choice="1")  # the chat's proved Health ID
    return await chat(choice=f"r{code}")


async def test_one_kind_one_place_last_year_grants_exactly_that(
    services: Services, world: World
) -> None:
    person, hiu, apollo, civic, records, code = await scene(services, world)
    chat = Chat(services)
    request = await to_request(chat, code)
    assert keys(request) == ["consent.request.details"]
    assert ids(request) == ["approve", "narrow", "deny", "back"]

    kinds = await chat(choice="narrow")
    assert keys(kinds) == ["consent.narrow.types"]
    assert labels(kinds) == [
        ("consent.narrow.on", "OPD notes"),
        ("consent.narrow.on", "prescriptions"),
        ("consent.narrow.on", "test reports"),
        ("consent.narrow.done", None),
    ]
    await chat(choice="tOPConsultation")
    kinds = await chat(choice="tPrescription")
    assert [key for key, _ in labels(kinds)][:3] == [
        "consent.narrow.off",
        "consent.narrow.off",
        "consent.narrow.on",
    ]
    last = await chat(choice="tDiagnosticReport")  # it would leave nothing
    assert keys(last) == ["consent.narrow.keep_kind", "consent.narrow.types"]
    stale = await chat(choice="tWellnessRecord")  # never offered
    assert keys(stale) == ["consent.narrow.stale", "consent.narrow.types"]

    places = await chat(choice="done")
    assert keys(places) == ["consent.narrow.places"]
    assert labels(places) == [
        ("consent.narrow.on", "Apollo Clinic"),  # both hold test reports
        ("consent.narrow.on", "Civic Hospital"),
        ("consent.narrow.done", None),
    ]
    assert ids(places)[:2] == [f"h{apollo.id}", f"h{civic.id}"]
    await chat(choice=f"h{civic.id}")
    alone = await chat(choice=f"h{apollo.id}")
    assert keys(alone) == ["consent.narrow.keep_place", "consent.narrow.places"]
    assert keys(await chat(choice=f"h{hiu.id}")) == [
        "consent.narrow.stale",
        "consent.narrow.places",
    ]

    dates = await chat(choice="done")
    assert keys(dates) == ["consent.narrow.dates"]
    assert ids(dates) == ["asked", "6m", "1y", "2y"]
    summary = await chat(choice="1y")
    assert keys(summary) == ["consent.narrow.summary"]
    assert dict(summary.messages[0].params) == {
        "hiu": "Sanjeevani Hospital",
        "requester": "Dr. Meera Iyer",
        "types": (msg("consent.hitype.DiagnosticReport"),),  # said "test reports"
        "places": "Apollo Clinic",
        "until": "30-06-2026",
        "from": "15-01-2025",
        "to": "31-12-2025",
    }
    assert ids(summary) == ["approve", "restart", "back"]

    pin = await chat(choice="approve")
    assert keys(pin) == ["consent.pin.narrow"]
    wrong = await chat(text="1111")
    assert keys(wrong) == ["error.pin.invalid", "consent.pin.narrow"]
    done = await chat(text=PIN)
    assert keys(done)[0] == "consent.done.granted"
    assert done.messages[0].params["count"] == 1

    granted = await services.consent.find(person.abha_number, code)
    assert granted.status is ConsentStatus.GRANTED
    [artefact] = granted.artefacts
    assert (artefact.hip_id, artefact.hi_types, artefact.date_from, artefact.date_to) == (
        apollo.id,
        ("DiagnosticReport",),
        date(2025, 1, 15),
        date(2025, 12, 31),
    )
    page = await services.consent.fetch(hiu, artefact.id, page_size=20)
    assert [opened.record.id for opened in page.records] == [records["apollo_lab"].id]
    [granting] = await services.audit.events(
        subject=person.abha_number.replace("-", ""), action="consent.granted"
    )
    assert (granting.channel, granting.detail["narrowed"]) == ("telegram", True)


async def test_start_again_back_and_a_choice_sharing_nothing(
    services: Services, world: World
) -> None:
    person, hiu, _, _, records, code = await scene(services, world)
    chat = Chat(services)
    await to_request(chat, code)
    await chat(choice="narrow")
    await chat(choice="tOPConsultation")
    await chat(choice="tDiagnosticReport")  # prescriptions only: Apollo alone holds them
    dates = await chat(choice="done")
    assert keys(dates) == ["consent.narrow.dates"]  # one place: not asked
    summary = await chat(choice="asked")
    assert summary.messages[0].params["places"] == "Apollo Clinic"
    assert summary.messages[0].params["from"] == "01-01-2024"
    again = await chat(choice="restart")
    assert keys(again) == ["consent.narrow.types"]
    assert {key for key, _ in labels(again)} == {"consent.narrow.on", "consent.narrow.done"}
    await chat(choice="tOPConsultation")
    await chat(choice="tDiagnosticReport")
    await chat(choice="done")
    summary = await chat(choice="1y")  # the only prescription is of 01-03-2024
    assert summary.messages[0].params["from"] == "15-01-2025"
    assert keys(await chat(choice="back")) == ["consent.request.details"]
    await chat(choice="narrow")
    await chat(choice="tOPConsultation")
    await chat(choice="tDiagnosticReport")
    await chat(choice="done")
    await chat(choice="1y")
    await chat(choice="approve")

    nothing = await chat(text=PIN)  # the PIN was right, but the choice shares nothing

    assert keys(nothing) == ["consent.narrow.nothing", "consent.narrow.types"]
    assert (await services.consent.find(person.abha_number, code)).status is (
        ConsentStatus.REQUESTED
    )
    await chat(choice="done")  # everything asked, as asked
    await chat(choice="done")
    await chat(choice="asked")
    await chat(choice="approve")
    assert keys(await chat(text=PIN))[0] == "consent.done.granted"
    view = await services.consent.find(person.abha_number, code)
    assert len(view.artefacts) == 2
    assert records["apollo_rx"].id in {
        opened.record.id
        for artefact in view.artefacts
        for opened in (await services.consent.fetch(hiu, artefact.id, page_size=20)).records
    }


async def test_the_notice_button_offers_narrowing_at_the_pin(
    services: Services, world: World
) -> None:
    person, _, _, civic, _, code = await scene(services, world)
    chat = Chat(services)
    pin = await chat(text=f"YES {code}")  # the notice's Approve button, from a cold start
    assert keys(pin) == ["consent.pin.approve"]
    assert ids(pin) == ["narrow"]
    assert keys(await chat(text="1")) == ["error.pin.format", "consent.pin.approve"]  # no button
    kinds = await chat(choice="narrow")
    assert keys(kinds) == ["consent.narrow.types"]
    await chat(choice="tPrescription")
    await chat(choice="tOPConsultation")
    await chat(choice="done")
    await chat(choice="done")  # both places hold test reports: both kept
    await chat(choice="6m")
    await chat(choice="approve")
    done = await chat(text=PIN)
    assert keys(done)[0] == "consent.done.granted"
    assert done.end  # an answer from the notice ends with its outcome
    [artefact] = (await services.consent.find(person.abha_number, code)).artefacts
    assert (artefact.hip_id, artefact.hi_types, artefact.date_from) == (
        civic.id,
        ("DiagnosticReport",),
        date(2025, 7, 15),
    )  # Apollo's is of June 2025


async def test_a_request_answered_meanwhile_elsewhere_stops_the_narrowing(
    services: Services, world: World
) -> None:
    person, _, _, _, _, code = await scene(services, world)
    chat = Chat(services)
    await to_request(chat, code)
    await chat(choice="narrow")
    await chat(choice="done")
    await services.consent.deny(person.abha_number, code, PIN, channel="sms")  # on another phone
    said = await chat(choice="done")  # the places' Done, pressed after the denial
    assert keys(said)[:2] == ["consent.code.answered.DENIED", "consent.home"]

    other_hiu = await world.facility("Nirmal Diagnostics")
    await world.doctor(number="MH2002", mobile="+919811113333", works_at=[other_hiu])
    asked = ask(other_hiu, person.address, ref="r2", requester_number="MH2002")
    other = await services.consent.request(other_hiu, asked)
    await to_request(chat, other.request.code)
    await chat(choice="narrow")
    await chat(choice="done")
    await chat(choice="done")
    await chat(choice="asked")
    await chat(choice="approve")
    await services.consent.grant(person.abha_number, other.request.code, PIN, channel="sms")
    late = await chat(text=PIN)  # its PIN, typed after the grant on another phone
    assert keys(late)[:2] == ["error.consent.already_answered", "consent.home"]


def context(services: Services, channel: str, data: dict[str, str]) -> Context[Services]:
    return Context(
        services,
        ConversationKey(channel, PHONE),
        "consents",
        "request",
        "en",
        dict(data),
        FrozenClock(),
        random.Random(1),
        lambda: "c1",
    )


async def test_phones_are_not_offered_narrowing(services: Services, world: World) -> None:
    person, _, _, _, _, code = await scene(services, world)
    data = {"abha": person.abha_number.replace("-", ""), "code": code}
    # USSD asks one screen's question first, the whole request one key away ("details").
    quick = context(services, "ussd", data)
    assert ids(await RequestStep().ask(quick)) == ["approve", "deny", "details", "back"]
    for channel in ("ussd", "sms"):
        ctx = context(services, channel, data)
        full = RequestStep("request_full", full=True)
        assert ids(await full.ask(ctx)) == ["approve", "deny", "back"]
        refused = await full.take(ctx, Input(choice="narrow"))
        assert refused.error.key == "engine.choose"  # type: ignore[union-attr]
        ctx.data["action"] = "approve"
        assert ids(await ConfirmStep().ask(ctx)) == []
    chat = context(services, "telegram", data)
    assert ids(await RequestStep().ask(chat)) == ["approve", "narrow", "deny", "back"]


async def test_nothing_to_share_offers_no_narrowing(services: Services, world: World) -> None:
    person = await world.person()
    hiu = await world.facility("Sanjeevani Hospital")
    await world.doctor(works_at=[hiu])
    code = (await services.consent.request(hiu, ask(hiu, person.address))).request.code
    ctx = context(services, "telegram", {"abha": person.abha_number.replace("-", ""), "code": code})
    assert ids(await RequestStep().ask(ctx)) == ["approve", "deny", "back"]


def test_spans_are_clipped_and_only_shorter_ones_offered() -> None:
    today = date(2026, 1, 15)
    assert months_before(date(2026, 8, 31), 6) == date(2026, 2, 28)
    assert months_before(today, 24) == date(2024, 1, 15)

    class Range:
        def __init__(self, start: date, end: date) -> None:
            self.date_from, self.date_to = start, end

    asked = Range(date(2024, 1, 1), date(2025, 12, 31))
    assert spans(asked, today) == [  # type: ignore[arg-type]
        ("6m", date(2025, 7, 15), date(2025, 12, 31)),
        ("1y", date(2025, 1, 15), date(2025, 12, 31)),
        ("2y", date(2024, 1, 15), date(2025, 12, 31)),
    ]
    recent = Range(date(2025, 10, 1), date(2026, 3, 1))  # the last 6 months reach back further
    assert spans(recent, today) == [("6m", date(2025, 10, 1), date(2026, 1, 15))]  # type: ignore[arg-type]
    old = Range(date(2020, 1, 1), date(2023, 1, 1))  # every recent span would leave no day
    assert spans(old, today) == []  # type: ignore[arg-type]
