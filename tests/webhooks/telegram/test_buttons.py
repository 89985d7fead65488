"""Buttons are bound to the question they answer: a stale one never acts on a later question,
a forged one changes nothing, and a repeated update has one effect."""

from __future__ import annotations

import asyncio

from testing.fakes.telegram_updates import user
from tests.webhooks.telegram.phone import Telegram, TelegramPhone

ASHA = user(830001, "Asha", language_code="en")
MAIN_MENU = [
    "Arogya ABHA",
    "[Create ABHA]",
    "[My ABHA]",
]


async def at_gender(phone: TelegramPhone) -> None:
    """Asha has typed her way to the gender question (the main menu's buttons untouched)."""
    for action in ("/start", "1", "2", "share", "{otp}", "Asha"):
        await phone.send(action)


async def test_a_pressed_menu_loses_its_buttons_and_the_next_question_has_them(
    telegram: Telegram,
) -> None:
    phone = TelegramPhone(telegram, ASHA)
    await phone.send("/start")
    menu = telegram.api.last_sent(ASHA["id"])

    seen = await phone.send("tap: Create ABHA")

    assert seen == ["Create ABHA with:", "[Aadhaar]", "[Mobile only]"]
    pressed = telegram.api.state.messages[ASHA["id"]][menu["message_id"]]
    assert "reply_markup" not in pressed
    answers = telegram.api.calls("answerCallbackQuery")
    assert [c.params.get("text") for c in answers] == [None]  # no pop-up for a live button


async def test_a_stale_button_is_answered_expired_and_never_acts_on_the_wrong_step(
    telegram: Telegram,
) -> None:
    phone = TelegramPhone(telegram, ASHA)
    await at_gender(phone)
    before = await telegram.conversation(ASHA["id"])

    seen = await phone.send("tap-old: My ABHA")  # on the main menu, long answered

    assert seen == [
        "popup: This menu has expired. Here is where you are now.",
        "Gender:",
        "[Male]",
        "[Female]",
        "[Other]",
    ]
    after = await telegram.conversation(ASHA["id"])
    assert before is not None
    assert after is not None
    assert (after["flow"], after["step"], after["data"]) == (
        before["flow"],
        before["step"],
        before["data"],
    )
    assert after.get("attempts", 0) == before.get("attempts", 0) == 0
    assert await phone.send("tap: Female") == ["Year of birth, e.g. 1990"]


async def test_a_button_of_an_older_turn_at_the_same_question_is_stale_too(
    telegram: Telegram,
) -> None:
    """Two copies of the gender question on screen (a wrong answer re-asks it): only the
    newest copy's buttons are live, though both ask the same thing."""
    phone = TelegramPhone(telegram, ASHA)
    await at_gender(phone)
    await phone.send("7")  # not a choice: asked again, with new buttons

    seen = await phone.send("tap-old: Other")

    assert seen[0] == "popup: This menu has expired. Here is where you are now."
    assert (await telegram.conversation(ASHA["id"]) or {})["step"] == "gender"
    assert await phone.send("tap: Other") == ["Year of birth, e.g. 1990"]


async def test_a_button_from_before_the_state_expired_starts_at_the_main_menu(
    telegram: Telegram,
) -> None:
    phone = TelegramPhone(telegram, ASHA)
    await phone.send("/start")
    await phone.send("1")  # typed: the main menu keeps its buttons
    await telegram.engine.forget(telegram.engine_key(ASHA["id"]))  # the state expired

    seen = await phone.send("tap-old: My ABHA")

    assert seen[0] == "popup: This menu has expired. Here is where you are now."
    assert seen[1:4] == MAIN_MENU
    assert await phone.send("tap: My ABHA") == [
        "Type your ABHA number, ABHA address, mobile or Aadhaar\n"
        "Or tap “Share my phone number” below.",
        "keyboard: 📱 Share my phone number",
    ]


async def test_forged_button_data_is_answered_clearly_and_changes_nothing(
    telegram: Telegram,
) -> None:
    phone = TelegramPhone(telegram, ASHA)
    await at_gender(phone)
    before = await telegram.conversation(ASHA["id"])
    question = telegram.api.last_sent(ASHA["id"])
    _, genuine = phone.button("Female")
    prefix, turn, sig, _choice = genuine.split(":")
    forgeries = [
        "give-me-an-abha",  # not our shape at all
        f"{prefix}:{turn}:{sig}:M",  # another choice under Female's signature
        f"{prefix}:{turn}:AAAAAAAAAA:F",  # a made-up signature
        f"{prefix}:{int(turn) + 50}:{sig}:F",  # a turn this chat never reached
        f"{prefix}:notanumber:{sig}:F",
    ]

    for data in forgeries:
        update = telegram.updates.callback(ASHA, question, data)
        assert await telegram.post(update) == (200, {})
        answer = telegram.api.callback_answer(update["callback_query"]["id"])
        assert answer is not None
        assert answer["text"] == (
            "This button is not one of ours. Please use the buttons of the latest message."
        )
        assert answer["show_alert"] is True

    assert await telegram.conversation(ASHA["id"]) == before
    assert telegram.api.last_sent(ASHA["id"]) == question  # nothing new was said
    assert await phone.send("tap: Female") == ["Year of birth, e.g. 1990"]


async def test_a_repeated_update_has_one_effect(telegram: Telegram) -> None:
    phone = TelegramPhone(telegram, ASHA)
    await phone.send("/start")
    await phone.send("tap: Create ABHA")
    await phone.send("tap: Mobile only")
    contact = telegram.updates.contact(ASHA, "+919876543210")

    replies = [await telegram.post(contact) for _ in range(2)]
    replies += await asyncio.gather(*(telegram.post(contact) for _ in range(3)))  # at once

    assert replies == [(200, {})] * 5
    assert len(await telegram.services.sms.sent_to("+919876543210")) == 1
    assert telegram.api.texts(ASHA["id"]).count("Type the OTP sent to ******3210") == 1
    answered = len(telegram.api.calls("answerCallbackQuery"))
    press = telegram.updates.callback(ASHA, telegram.api.last_sent(ASHA["id"]), "x")
    for _ in range(2):
        await telegram.post(press)
    assert len(telegram.api.calls("answerCallbackQuery")) == answered + 1


async def test_a_repeated_press_after_a_failed_reply_sends_the_reply_without_a_second_turn(
    telegram: Telegram,
) -> None:
    phone = TelegramPhone(telegram, ASHA)
    await phone.send("/start")
    menu = telegram.api.last_sent(ASHA["id"])
    _, data = phone.button("Create ABHA")
    press = telegram.updates.callback(ASHA, menu, data)
    telegram.api.outage(times=1, method="sendMessage")

    first = await telegram.post(press)
    second = await telegram.post(press)

    assert (first[0], second[0]) == (503, 200)
    assert await phone.screen() == ["Create ABHA with:", "[Aadhaar]", "[Mobile only]"]
    assert (await telegram.conversation(ASHA["id"]) or {})["step"] == "how"
    assert await phone.send("tap: Mobile only") == [
        "Type your 10-digit mobile number\nOr tap “Share my phone number” below.",
        "keyboard: 📱 Share my phone number",
    ]
