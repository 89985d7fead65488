"""`POST /ussd` over real HTTP: the wire, bad requests, repeats, concurrency, budgets, outages."""

from __future__ import annotations

import asyncio
import json

import pytest
from aiohttp import ClientSession
from aiohttp.test_utils import TestClient, TestServer

from core.clock import FrozenClock
from core.settings import Settings
from core.state import StateStore
from flows import Engine, Flow, Prompt
from tests.conftest import GATEWAY_HEADERS, make_settings
from tests.flows.engine.demo import DemoServices, demo_engine
from tests.flows.engine.fakes import DownStore
from tests.webhooks.conftest import Serve, build_app
from tests.webhooks.phones import Client, RecordingSms, UssdPhone
from webhooks.pager import PageBudget

PHONE = "+919876543210"


def form(text: str = "", session: str = "S1", phone: str = PHONE) -> dict[str, str]:
    return {
        "sessionId": session,
        "serviceCode": "*384*14#",
        "phoneNumber": phone,
        "networkCode": "40445",
        "text": text,
    }


async def error_of(response: object) -> tuple[int, str]:
    from aiohttp import ClientResponse

    assert isinstance(response, ClientResponse)
    assert response.content_type == "application/json"
    body = await response.json()
    assert set(body["error"]) == {"code", "message"}
    return response.status, body["error"]["code"]


async def to_confirm(phone: UssdPhone) -> None:
    await phone.dial()
    for text in ("1", "Asha", "1990", "2"):
        await phone.send(text)


@pytest.mark.parametrize(
    ("fields", "status", "code"),
    [
        ({"phoneNumber": PHONE, "text": ""}, 400, "request.missing_field"),
        ({"sessionId": "S1", "text": ""}, 400, "request.missing_field"),
        ({"sessionId": "", "phoneNumber": PHONE}, 400, "request.bad_field"),
        ({"sessionId": "S" * 500, "phoneNumber": PHONE}, 400, "request.bad_field"),
        ({"sessionId": "S1", "phoneNumber": "not a phone"}, 400, "request.bad_phone"),
        ({"sessionId": "S1", "phoneNumber": "+91123"}, 400, "request.bad_phone"),
    ],
)
async def test_malformed_forms_are_4xx_json(
    client: Client, fields: dict[str, str], status: int, code: str
) -> None:
    assert await error_of(await client.post("/ussd", data=fields)) == (status, code)


async def test_non_form_bodies_are_refused(client: Client) -> None:
    response = await client.post("/ussd", json=form())
    assert await error_of(response) == (400, "request.not_form")
    undecodable = b"sessionId=S1&phoneNumber=%ff%fe&text=\xff"
    urlencoded = {"Content-Type": "application/x-www-form-urlencoded"}
    response = await client.post("/ussd", data=undecodable, headers=urlencoded)
    assert await error_of(response) == (400, "request.malformed")
    response = await client.post("/ussd", data={**form(), "text": "x" * 70_000})
    assert await error_of(response) == (413, "request.too_large")


async def test_the_shared_secret_in_a_header_or_the_query(serve: Serve, clock: FrozenClock) -> None:
    client = await serve(ussd_secret="s3cret")
    assert await error_of(await client.post("/ussd", data=form())) == (403, "ussd.forbidden")
    wrong = await client.post("/ussd", data=form(), headers={"X-Ussd-Secret": "nope"})
    assert await error_of(wrong) == (403, "ussd.forbidden")
    async with ClientSession() as gateway:  # one that cannot add headers (Africa's Talking)
        by_query = await gateway.post(client.make_url("/ussd?secret=s3cret"), data=form())
        assert by_query.status == 200
    phone = UssdPhone(client, clock, secret="s3cret")
    assert (await phone.dial())[0].startswith("CON Welcome")


async def test_a_repeated_request_gets_the_same_page_and_one_effect(
    client: Client, clock: FrozenClock, services: DemoServices
) -> None:
    phone = UssdPhone(client, clock)
    await to_confirm(phone)
    phone.inputs.append("1")
    text = "*".join(phone.inputs)
    first = await phone.post(text)
    again = await phone.post(text)
    assert first == again == "END Thank you, Asha. Your number is R1."
    assert len(services.registered) == 1


async def test_twenty_simultaneous_repeats_have_one_effect(
    client: Client, clock: FrozenClock, services: DemoServices
) -> None:
    phone = UssdPhone(client, clock)
    await to_confirm(phone)
    text = "*".join([*phone.inputs, "1"])
    bodies = await asyncio.gather(*(phone.post(text) for _ in range(20)))
    assert set(bodies) == {"END Thank you, Asha. Your number is R1."}
    assert len(services.registered) == 1


async def test_twenty_sessions_at_once_each_get_their_own_conversation(
    client: Client, clock: FrozenClock, services: DemoServices
) -> None:
    phones = [UssdPhone(client, clock, phone=f"+9198765{n:05d}") for n in range(20)]

    async def register(phone: UssdPhone) -> str:
        await to_confirm(phone)
        return (await phone.send("1"))[0]

    bodies = await asyncio.gather(*(register(p) for p in phones))
    assert all(b.startswith("END Thank you, Asha. Your number is R") for b in bodies)
    assert len({b for b in bodies}) == 20
    assert len(services.registered) == 20


async def test_an_input_with_stars_is_one_input(client: Client, clock: FrozenClock) -> None:
    phone = UssdPhone(client, clock)
    await phone.dial()
    await phone.send("1")
    await phone.send("A*B*C")
    await phone.send("1990")
    assert await phone.send("1") == [
        "CON A*B*C, born 1990, nickname abc1. Correct?\n1. Yes, save\n2. Change"
    ]


async def test_bad_inputs_re_prompt_within_the_budget(
    client: Client, clock: FrozenClock, state: StateStore
) -> None:
    phone = UssdPhone(client, clock)
    await phone.dial()
    await phone.send("1")
    invalid = "CON Please type a name of 2 to 40 letters.\n"
    rescue = "Having trouble?\n1. Try again\n2. Help\n3. Main menu"
    assert await phone.send("x" * 10_000) == [invalid + "Your name?"]
    assert await phone.send("\x00\x01\x1b[31m") == [invalid + "Your name?"]
    assert await phone.send("😀" * 50) == [invalid + rescue]
    choose = "CON Press a number shown on the screen; 0 to go back.\n"
    assert await phone.send("   ") == [choose + rescue]
    assert await phone.send("1") == ["CON Your name?"]
    assert await phone.send("😀😀") == ["CON Year of birth?"]  # an emoji name is still a name
    raw = await state.get_json(f"conv:ussd:{PHONE}")
    assert len(json.dumps(raw, ensure_ascii=False).encode()) < 1024


async def test_an_unknown_session_that_claims_inputs_has_expired(client: Client) -> None:
    # typed text (not digits a dial string could carry: webhooks.at_wire)
    response = await client.post("/ussd", data=form("1*Asha", session="never-seen"))
    assert await response.text() == "END This session has expired. Please dial again."


async def test_a_session_id_is_bound_to_its_phone(client: Client) -> None:
    await client.post("/ussd", data=form(""))
    response = await client.post("/ussd", data=form("1*Asha", phone="+919812345678"))
    assert await response.text() == "END This session has expired. Please dial again."
    response = await client.post("/ussd", data=form("1"))
    assert await response.text() == "CON Your name?"


async def test_a_text_out_of_step_is_read_by_its_last_part(client: Client) -> None:
    await client.post("/ussd", data=form(""))
    await client.post("/ussd", data=form("1"))
    response = await client.post("/ussd", data=form("9*Asha"))
    assert await response.text() == "CON Year of birth?"


@pytest.mark.parametrize(("gsm7", "ucs2"), [(60, 30), (50, 45)])
async def test_small_gateway_budgets_page_everything(
    serve: Serve, clock: FrozenClock, gsm7: int, ucs2: int
) -> None:
    client = await serve(ussd_gsm7_page_chars=gsm7, ussd_ucs2_page_chars=ucs2)
    phone = UssdPhone(client, clock, budget=PageBudget(gsm7, ucs2))
    first = (await phone.dial())[0]
    assert first.endswith("98. More")
    for text in ("98", "98", "हिंदी", "98", "0", "3", "98", "98", "98"):
        await phone.send(text)  # UssdPhone asserts every page fits the budget


async def test_the_state_store_down_answers_end_try_again(
    settings: Settings, clock: FrozenClock
) -> None:
    engine = demo_engine(DownStore(), make_settings(), clock)
    async with TestClient(
        TestServer(build_app(engine, RecordingSms())), headers=GATEWAY_HEADERS
    ) as client:
        response = await client.post("/ussd", data=form(""))
        assert response.status == 200
        assert await response.text() == (
            "END Sorry, something went wrong. Please try again in a moment."
        )


async def test_a_bug_costs_a_redial_not_a_500(settings: Settings, state: StateStore) -> None:
    flows = [Flow[None]("main", [Prompt("ask", "demo.no.such.key")])]
    engine = Engine(flows, "main", services=None, state=state, settings=settings)
    async with TestClient(
        TestServer(build_app(engine, RecordingSms())), headers=GATEWAY_HEADERS
    ) as client:
        response = await client.post("/ussd", data=form(""))
        assert response.status == 200
        assert await response.text() == (
            "END Sorry, something went wrong. Please try again in a moment."
        )
    assert await state.get_json(f"conv:ussd:{PHONE}") is None
