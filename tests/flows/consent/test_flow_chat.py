""" "Consents" on a chat channel (Telegram), driven through the engine with button choices:
a chat that proved its mobile acts for that mobile's Health ID without a new OTP, answers with
its PIN, and the Approve/Deny buttons of the notice (whose data says "YES <code>" for the
person) and the deep link `consent_<request id>` both land on the request. The Telegram wire
itself is the bot's."""

from __future__ import annotations

from datetime import date

from core.consent.models import ConsentStatus
from core.notify.models import Notification
from core.records.hitypes import HiType
from core.services import Services
from flows import ConversationKey, Input, Reply
from flows.registry import health_engine
from testing.world import PHONE, PIN, World, ask

CHAT = ConversationKey("telegram", "4242")


def keys(reply: Reply) -> list[str]:
    return [m.key for m in reply.messages]


async def test_a_linked_chat_answers_and_revokes_with_buttons(
    services: Services, world: World
) -> None:
    person = await world.person()
    hip = await world.facility("Apollo Clinic")
    await world.record(hip, person, HiType.PRESCRIPTION, date(2024, 3, 1))
    await services.channels.link(
        "telegram", CHAT.subject, mobile=PHONE, abha_number=person.abha_number
    )
    hiu = await world.facility("Sanjeevani Hospital")
    await world.doctor(works_at=[hiu])
    requested = (await services.consent.request(hiu, ask(hiu, person.address))).request
    chat_notice = await Notification.get(channel="telegram", address=CHAT.subject)
    assert chat_notice.message_key == "consent.notice.chat"
    assert chat_notice.buttons == [
        [
            {"label": "consent.button.approve", "data": f"say:YES {requested.code}"},
            {"label": "consent.button.deny", "data": f"say:NO {requested.code}"},
        ]
    ]

    engine = health_engine(services)
    await engine.handle(CHAT, Input(text="menu"))
    login = await engine.handle(CHAT, Input(choice="consents"))
    assert [c.label_params.get("name") for c in login.choices] == ["Asha Devi", None]
    home = await engine.handle(CHAT, Input(choice="1"))
    assert keys(home)[:2] == ["consent.home", "consent.home.pending"]
    assert home.choices[0].id == f"r{requested.code}"
    confirm = await engine.handle(CHAT, Input(text=f"YES {requested.code}", unprompted=True))
    assert keys(confirm) == ["consent.pin.approve"]
    done = await engine.handle(CHAT, Input(text=PIN))
    assert keys(done)[0] == "consent.done.granted"
    assert (await services.consent.find(person.abha_number, requested.code)).status is (
        ConsentStatus.GRANTED
    )

    await engine.handle(CHAT, Input(choice="active"))
    shown = await engine.handle(CHAT, Input(choice=f"g{requested.code}"))
    assert keys(shown) == ["consent.grant.details"]
    assert shown.messages[0].params["places"] == "Apollo Clinic"
    await engine.handle(CHAT, Input(choice="revoke"))
    wrong = await engine.handle(CHAT, Input(text="1111"))
    assert keys(wrong)[0] == "error.pin.invalid"
    revoked = await engine.handle(CHAT, Input(text=PIN))
    assert keys(revoked)[0] == "consent.done.revoked"

    link = await engine.handle(CHAT, Input(text=f"consent_{requested.id}"))  # a deep link
    assert keys(link) == [f"consent.code.answered.{ConsentStatus.REVOKED.value}"]


async def test_a_chat_that_proved_no_mobile_is_asked_to_log_in(
    services: Services, world: World
) -> None:
    engine = health_engine(services)
    await engine.handle(CHAT, Input(text="menu"))
    login = await engine.handle(CHAT, Input(choice="consents"))
    assert keys(login) == ["flows.myid.identifier"]
    assert login.request_contact
