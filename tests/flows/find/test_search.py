"""Finding facilities and doctors: the rules of the paged lists, the typed area and the results,
on any channel (the transcripts in tests/golden/find/ show the whole conversations)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.facilities.models import Facility, FacilityStatus
from flows.find.common import dialable, shown
from tests.flows.find.chat import Chat
from tests.flows.find.seed import HOSPITALS, Directory

HOSPITAL_NAMES = sorted(name for name, *_ in HOSPITALS)
#: What to press, never "from 1 to 6" (review D8, D11).
RETRY = "Press a number shown on the screen, or type a 6-digit PIN code; 0 to go back."


async def to_area(chat: Chat, *choices: str) -> str:
    """From the main menu into "find", then the given choices (kind, then what to look for)."""
    await chat.say("MENU")
    return await chat.run("4", *choices)


async def test_on_telegram_a_page_holds_five_and_only_verified_places(
    telegram_chat: Chat, directory: Directory
) -> None:
    said = await to_area(telegram_chat, "1", "hospital", "Lucknow")
    assert "Lucknow: 5 found, page 1 of 1" in said
    for name, address, _, phone in HOSPITALS:
        assert f"- {shown(name)}\n{shown(address)}\nPhone {dialable(phone)}" in said
    assert "Pending Hospital" not in said
    assert [choice.id for choice in telegram_chat.last.choices] == ["again"]


async def test_sms_pages_go_forward_back_and_start_again(
    sms_chat: Chat, directory: Directory
) -> None:
    said = await to_area(sms_chat, "1", "1", "226004")  # hospitals in PIN 226004
    assert "PIN 226004: 2 found, page 1 of 1" in said
    said = await sms_chat.run("1", "1", "Lucknow")  # new search: hospitals in Lucknow
    pages = [said, await sms_chat.say("98"), await sms_chat.say("98")]  # "98. More", D11
    listed = [line[2:] for page in pages for line in page.splitlines() if line.startswith("- ")]
    assert listed == [shown(name) for name in HOSPITAL_NAMES]
    assert "page 3 of 3" in pages[2]
    assert "98. More" in pages[1]
    assert "98. More" not in pages[2]
    assert "page 2 of 3" in await sms_chat.say("1")  # "1. Previous results" on the last page
    assert "What kind of place?" in await sms_chat.say("2")  # "2. New search"


async def test_a_list_that_shrank_shows_its_start(sms_chat: Chat, directory: Directory) -> None:
    await to_area(sms_chat, "1", "1", "Lucknow")
    assert "page 3 of 3" in await sms_chat.run("98", "98")
    gone = [directory.facilities[name] for name in HOSPITAL_NAMES[1:]]
    await Facility.filter(id__in=gone).update(status=FacilityStatus.REJECTED)
    assert "Lucknow: 1 found, page 1 of 1" in await sms_chat.say("help")
    last = directory.facilities[HOSPITAL_NAMES[0]]
    await Facility.filter(id=last).update(status=FacilityStatus.REJECTED)
    assert "Lucknow: none verified yet" in await sms_chat.say("help")


async def test_long_lists_page_by_more_and_wrap_and_take_codes_from_any_page(
    sms_chat: Chat, directory: Directory
) -> None:
    first = await to_area(sms_chat, "1")
    assert first.endswith("6. Pharmacy\n98. More")  # 98, the one "more" key (review D11)
    assert "7. " not in first
    second = await sms_chat.say("98")
    assert second.startswith("What kind of place?\n1. Diagnostic lab")
    assert (await sms_chat.say("98")).endswith(first.split("\n", 1)[1])  # wrapped round
    assert "Press a number shown on the screen; 0 to go back." in await sms_chat.say("7")
    assert "Press a number shown on the screen; 0 to go back." in await sms_chat.say("9")
    said = await sms_chat.say("Blood_Bank")  # a code from the second page, typed on the first
    assert said.startswith("Choose your state")


@pytest.mark.parametrize(
    ("typed", "expect"),
    [
        ("Delhi", "Choose your district, or type your PIN code\n1. Central"),
        ("उत्तर प्रदेश", "Choose your district, or type your PIN code\n1. Agra"),
        ("East", "Hospital\nEast: none verified yet."),  # the exact name among five districts
        ("varanasi", "Hospital\nVaranasi: none verified yet."),
        ("226 004", "Hospital\nPIN 226004: 2 found"),
        ("012345", "A PIN code has 6 digits and does not start with 0."),
        ("Nagar", RETRY),
        ("12", RETRY),
    ],
)
async def test_an_area_may_be_typed_as_a_state_a_district_or_a_pin_code(
    sms_chat: Chat, directory: Directory, typed: str, expect: str
) -> None:
    await to_area(sms_chat, "1", "1")
    assert (await sms_chat.say(typed)).startswith(expect)


async def test_a_district_step_takes_only_its_own_states_districts(
    sms_chat: Chat, directory: Directory
) -> None:
    await to_area(sms_chat, "1", "1", "Uttar Pradesh")
    refused = await sms_chat.say("East")  # districts of Delhi and others, none in UP
    assert refused.startswith(RETRY)
    assert (await sms_chat.say("Lucknow")).startswith("Hospital\nLucknow: 5 found")


async def test_doctors_are_listed_with_their_facility_and_its_phone(
    telegram_chat: Chat, directory: Directory
) -> None:
    said = await to_area(telegram_chat, "2", "paediatrics", "Lucknow")
    assert said == (
        "Child health (paediatrics)\nLucknow: 2 found, page 1 of 1\n"
        "- Arun Tiwari, MBBS, MD (Paediatrics), 13 yrs\nCharbagh City Hospital\n"
        "Phone 0522 245 3300\n"
        "- Meera Saxena, MBBS, MD (Paediatrics), 13 yrs\nSanjeevani Multispeciality Hospital\n"
        "Phone 0522 263 5000\n1. New search"
    )


@given(st.text(max_size=120))
def test_shown_text_is_never_longer_than_its_limit_and_keeps_short_text(text: str) -> None:
    cut = shown(text, 40)
    assert len(cut) <= 40
    assert cut == text if len(text) <= 40 else cut.endswith("...")


def test_phones_are_shown_the_way_they_are_dialled() -> None:
    assert dialable("+915222635000") == "0522 263 5000"
    assert dialable("+919839012345") == "098390 12345"
    assert dialable("not a phone") == "not a phone"
