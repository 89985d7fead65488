"""`POST /sms/twilio` and `POST /sms` over real HTTP: signatures, tokens, repeats, opt-out."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from aiohttp import ClientResponse

from core.clock import FrozenClock
from core.sms.encoding import sms_size
from flows import ConversationKey
from tests.webhooks.conftest import API_TOKEN, TWILIO_TOKEN, Serve
from tests.webhooks.phones import Client, RecordingSms, SmsPhone
from webhooks.keys import ENGINE
from webhooks.sms import EMPTY_TWIML, twilio_signature

PHONE = "+919876543210"
MENU_EN = "Welcome to the demo.\n1. Register\n2. Pick a fruit\n3. About\n4. Quit"
BEARER = {"Authorization": f"Bearer {API_TOKEN}"}


def twilio_form(body: str, sid: str = "SM1", sender: str = PHONE) -> dict[str, str]:
    return {"MessageSid": sid, "From": sender, "To": "+15005550006", "Body": body}


async def signed_post(
    client: Client, form: dict[str, str], url: str | None = None
) -> ClientResponse:
    signed_url = url or str(client.make_url("/sms/twilio"))
    signature = twilio_signature(TWILIO_TOKEN, signed_url, form.items())
    return await client.post("/sms/twilio", data=form, headers={"X-Twilio-Signature": signature})


async def error_of(response: ClientResponse) -> tuple[int, str]:
    assert response.content_type == "application/json"
    return response.status, (await response.json())["error"]["code"]


async def test_a_signed_twilio_message_is_answered_by_sms(
    client: Client, outbox: RecordingSms
) -> None:
    response = await signed_post(client, twilio_form("Hi"))
    assert response.status == 200
    assert response.content_type == "text/xml"
    assert await response.text() == EMPTY_TWIML
    assert outbox.texts_to(PHONE) == [MENU_EN]
    assert outbox.sent[0].lang == "en"
    assert outbox.sent[0].template_key == "demo.menu"


async def test_twilio_signature_is_checked(client: Client, outbox: RecordingSms) -> None:
    form = twilio_form("Hi")
    unsigned = await client.post("/sms/twilio", data=form)
    assert await error_of(unsigned) == (403, "sms.bad_signature")
    signature = twilio_signature(TWILIO_TOKEN, str(client.make_url("/sms/twilio")), form.items())
    tampered = {**form, "Body": "STOP"}
    response = await client.post(
        "/sms/twilio", data=tampered, headers={"X-Twilio-Signature": signature}
    )
    assert await error_of(response) == (403, "sms.bad_signature")
    assert outbox.sent == []
    response = await client.post(
        "/sms/twilio", data=form, headers={"X-Twilio-Signature": signature}
    )
    assert response.status == 200
    assert outbox.texts_to(PHONE) == [MENU_EN]


async def test_behind_a_proxy_the_public_url_is_what_twilio_signed(
    serve: Serve, outbox: RecordingSms
) -> None:
    client = await serve(twilio_auth_token=TWILIO_TOKEN, public_url="https://arogya.example.in/")
    form = twilio_form("Hi")
    local = await signed_post(client, form)
    assert await error_of(local) == (403, "sms.bad_signature")
    public = await signed_post(client, form, url="https://arogya.example.in/sms/twilio")
    assert public.status == 200
    assert outbox.texts_to(PHONE) == [MENU_EN]


async def test_without_a_token_twilio_is_closed(serve: Serve, outbox: RecordingSms) -> None:
    """Five forged, unsigned messages once locked a victim's PIN: unset, the door is shut."""
    client = await serve()
    for n in range(5):
        answer = await client.post("/sms/twilio", data=twilio_form("1234", sid=f"SM{n}"))
        assert answer.status == 403
        assert (await answer.json())["error"]["code"] == "sms.twilio_closed"
    assert outbox.texts_to(PHONE) == []


@pytest.mark.parametrize(
    ("form", "code"),
    [
        ({"From": PHONE, "Body": "Hi"}, "request.missing_field"),
        ({"MessageSid": "SM1", "Body": "Hi"}, "request.missing_field"),
        (
            {"MessageSid": "SM1", "From": "whatsapp:+919876543210", "Body": "Hi"},
            "request.bad_phone",
        ),
    ],
)
async def test_malformed_twilio_forms_are_400(
    client: Client, outbox: RecordingSms, form: dict[str, str], code: str
) -> None:
    assert await error_of(await signed_post(client, form)) == (400, code)
    assert outbox.sent == []


async def test_a_repeated_message_sid_has_one_effect_and_one_sms(
    client: Client, outbox: RecordingSms
) -> None:
    await signed_post(client, twilio_form("Hi", sid="SM1"))
    await signed_post(client, twilio_form("1", sid="SM2"))
    await signed_post(client, twilio_form("1", sid="SM2"))
    assert outbox.texts_to(PHONE) == [MENU_EN, "Your name?"]
    await signed_post(client, twilio_form("Asha", sid="SM3"))
    assert outbox.texts_to(PHONE)[-1] == "Year of birth?"


async def post_json(
    client: Client, payload: Any, headers: dict[str, str] | None = None
) -> ClientResponse:
    return await client.post("/sms", json=payload, headers=BEARER if headers is None else headers)


async def test_the_json_form_answers_with_a_receipt(client: Client, outbox: RecordingSms) -> None:
    response = await post_json(client, {"id": "m1", "from": PHONE, "to": "56161", "text": "नमस्ते"})
    receipt = await response.json()
    text = outbox.texts_to(PHONE)[0]
    assert text.startswith("डेमो में आपका स्वागत है।")
    size = sms_size(text)
    assert receipt == {
        "id": "m1",
        "duplicate": False,
        "reply": text,
        "encoding": "UCS-2",
        "segments": size.segments,
    }
    again = await (await post_json(client, {"id": "m1", "from": PHONE, "text": "नमस्ते"})).json()
    assert again == {**receipt, "duplicate": True}
    assert len(outbox.sent) == 1


@pytest.mark.parametrize(
    ("payload", "status", "code"),
    [
        ("not an object", 400, "request.malformed"),
        ({"from": PHONE, "text": "hi"}, 400, "request.missing_field"),
        ({"id": "m1", "text": "hi"}, 400, "request.missing_field"),
        ({"id": "m1", "from": PHONE, "text": 42}, 400, "request.bad_field"),
        ({"id": 7, "from": PHONE, "text": "hi"}, 400, "request.bad_field"),
        ({"id": "m1", "from": "12", "text": "hi"}, 400, "request.bad_phone"),
    ],
)
async def test_malformed_json_is_400(
    client: Client, payload: Any, status: int, code: str, outbox: RecordingSms
) -> None:
    assert await error_of(await post_json(client, payload)) == (status, code)
    assert outbox.sent == []


async def test_json_that_does_not_parse_is_400(client: Client) -> None:
    response = await client.post(
        "/sms", data=b"{nope", headers={**BEARER, "Content-Type": "application/json"}
    )
    assert await error_of(response) == (400, "request.malformed")


async def test_the_json_form_needs_the_bearer_token(serve: Serve, client: Client) -> None:
    payload = {"id": "m1", "from": PHONE, "text": "hi"}
    assert await error_of(await post_json(client, payload, {})) == (401, "sms.unauthorised")
    wrong = {"Authorization": "Bearer nope"}
    assert await error_of(await post_json(client, payload, wrong)) == (401, "sms.unauthorised")
    closed = await serve()
    assert await error_of(await post_json(closed, payload)) == (403, "sms.api_closed")


async def test_stop_start_over_sms(
    client: Client, outbox: RecordingSms, clock: FrozenClock
) -> None:
    phone = SmsPhone(client, outbox, clock, twilio_token=TWILIO_TOKEN)
    await phone.send("Hi")
    assert await phone.send("STOP") == [
        "You will get no more messages from Arogya. Send START to turn them back on."
    ]
    assert await phone.send("1") == []
    assert await phone.send("HELP") == []
    assert await client.app[ENGINE].is_opted_out(ConversationKey("sms", PHONE))
    response = await post_json(client, {"id": "after-stop", "from": PHONE, "text": "menu"})
    assert (await response.json())["reply"] is None
    assert await phone.send("START") == [f"Welcome back! Messages are on again.\n{MENU_EN}"]


async def test_twenty_simultaneous_copies_send_one_sms(
    client: Client, outbox: RecordingSms
) -> None:
    await signed_post(client, twilio_form("Hi", sid="SM0"))
    form = twilio_form("1", sid="SM-dup")
    responses = await asyncio.gather(*(signed_post(client, form) for _ in range(20)))
    assert {r.status for r in responses} == {200}
    assert outbox.texts_to(PHONE) == [MENU_EN, "Your name?"]


async def test_a_failed_send_is_retried_by_the_repeat_with_one_effect(
    client: Client, outbox: RecordingSms
) -> None:
    await post_json(client, {"id": "m0", "from": PHONE, "text": "hi"})
    outbox.failing = True
    failed = await post_json(client, {"id": "m1", "from": PHONE, "text": "1"})
    assert await error_of(failed) == (503, "service.unavailable")
    outbox.failing = False
    retried = await (await post_json(client, {"id": "m1", "from": PHONE, "text": "1"})).json()
    assert retried["duplicate"] is True
    assert outbox.texts_to(PHONE) == [MENU_EN, "Your name?"]
    await post_json(client, {"id": "m1", "from": PHONE, "text": "1"})
    assert len(outbox.sent) == 2


async def test_replies_are_short_and_counted(client: Client, outbox: RecordingSms) -> None:
    receipts = []
    for n, text in enumerate(("Hi", "2", "हिंदी")):
        response = await post_json(client, {"id": f"s{n}", "from": PHONE, "text": text})
        receipts.append(await response.json())
    assert [(r["encoding"], r["segments"]) for r in receipts] == [
        ("GSM-7", 1),
        ("GSM-7", 3),
        ("UCS-2", sms_size(receipts[2]["reply"]).segments),
    ]
    assert all(not t.endswith(("\n", " ")) and "\n\n" not in t for t in outbox.texts_to(PHONE))
