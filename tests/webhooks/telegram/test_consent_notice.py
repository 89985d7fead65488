"""The consent notice in Telegram, through the real webhook and a real aiogram Bot on the
loopback Bot API fake: its Deny button answers the request wherever the conversation stands
(its buttons then leave the notice, and a press on a copy of them is "already answered"), and
the deep link `/start consent_<request id>` opens the request itself."""

from __future__ import annotations

from core.consent.models import ConsentStatus
from testing.fakes.telegram_updates import user
from testing.world import PIN, World, ask
from tests.core.consent.hiu_server import HiuServer
from tests.webhooks.telegram.phone import Telegram, TelegramPhone
from tests.webhooks.telegram.test_consent_narrowing import (
    Scene,
    hiu,
    logged_in,
    scene,
    telegram,
)

__all__ = ["hiu", "telegram"]


async def a_request(telegram: Telegram, hiu: HiuServer, s: Scene) -> tuple[str, str, str]:
    """(abha number, code, request id) of Sanjeevani Hospital's request to Asha, notice sent."""
    world = World(telegram.services)
    hiu_view = await world.facility("Sanjeevani Hospital", callback_url=hiu.url)
    await world.doctor(works_at=[hiu_view])
    asked = ask(hiu_view, s.person.address)
    view = (await telegram.services.consent.request(hiu_view, asked)).request
    await telegram.services.notifier.deliver_due()
    return s.person.abha_number, view.code, view.id


async def test_deny_from_the_notice_mid_conversation_then_the_menu_goes_on(
    telegram: Telegram, hiu: HiuServer
) -> None:
    s = await scene(telegram)
    phone = await logged_in(telegram, 990101, "en")  # mid-way: "Consents" asks for a choice
    abha, code, _ = await a_request(telegram, hiu, s)
    notice = await phone.screen()
    assert "[Approve] [Deny]" in notice
    copy, data = phone.button("Deny")

    asked = await phone.send("tap: Deny")
    assert asked == ["Type your 4-digit PIN to deny Sanjeevani Hospital these records"]
    assert "reply_markup" not in telegram.api.sent(phone.chat_id)[-2]  # the notice closed
    done = await phone.send(PIN)
    assert done[0].startswith("Denied. Sanjeevani Hospital will not see your records.")
    assert (await telegram.services.consent.find(abha, code)).status is ConsentStatus.DENIED

    again = await phone.deliver(telegram.updates.callback(phone.user, copy, data))
    assert f"You already denied request {code}." in again[0]
    assert (await telegram.services.consent.find(abha, code)).status is ConsentStatus.DENIED
    assert (await phone.send("menu"))[0].startswith("Arogya ABHA")


async def test_the_deep_link_opens_the_request(telegram: Telegram, hiu: HiuServer) -> None:
    s = await scene(telegram)
    phone = await logged_in(telegram, 990102, "hi")
    _, code, request_id = await a_request(telegram, hiu, s)
    await phone.screen()
    shown = await phone.send(f"/start consent_{request_id}")
    assert shown[0].startswith("Sanjeevani Hospital के Dr. Meera Iyer 30-06-2026 तक आपके")
    assert shown[0].endswith(f"कोड {code}।")  # the request's details, in Hindi
    assert len([line for line in shown if line.startswith("[")]) == 4  # approve, part, deny, back

    stranger = TelegramPhone(telegram, user(990103, "Ravi", language_code="en"))
    refused = await stranger.send(f"/start consent_{request_id}")
    chat = [line for line in refused if not line.startswith("SMS: ")]  # the phone's own inbox
    assert chat[0].startswith("Open My consents and log in first, then answer again.")
    assert not any("Meera" in line or code in line for line in chat)  # nothing of the request
