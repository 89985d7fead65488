"""Answering by code: "YES 4F7K" / "NO 4F7K" by SMS, the same text from a Telegram button, and
Telegram's deep link `consent_<request id>`.

Why a code and not a number from a menu: the SMS notice arrives out of the blue, and the person
answers it without navigating anywhere. The code is looked up only among the Health IDs of the
sender (the phone's, or the chat's proved mobile's), so another person's code is "not yours",
never theirs; a code already answered says how it was answered, and nothing changes; a code
found open leads to the PIN, which alone decides.

`catch_reply(ctx, answer)` returns None for any other text. "My consents" calls it from its
list; the engine also has it as a catcher (docs/design.md §3), tried at the main menu, on a cold
start and for an unprompted input (a notice's button), so the answer works from anywhere.
"""

from __future__ import annotations

import re

from core.consent.models import ConsentStatus
from core.consent.requests import CODE_ALPHABET
from core.consent.views import ConsentView
from core.errors import NotFound
from core.healthid import numbers
from flows import Go, Input, Message, Outcome, finish, go, keyword_form, msg
from flows.consent.entry import FLOW, phone_abhas
from flows.ctx import Ctx, is_phone_channel

YES_WORDS = frozenset({"yes", "y", "haan", "han", "ha", "हाँ", "हां", "हा"})
NO_WORDS = frozenset({"no", "n", "nahi", "nahin", "नहीं", "नही", "ना"})
_WORD = "|".join(sorted(YES_WORDS | NO_WORDS, key=len, reverse=True))
#: Only codes that can exist (`CODE_ALPHABET`, four characters): "no 1234" is not an answer.
_CODE = "[" + re.escape(CODE_ALPHABET.lower()) + "]{4}"
REPLY = re.compile(rf"^(?P<word>{_WORD})\s*[-:.#]?\s*(?P<code>{_CODE})$")
DEEP_LINK = re.compile(
    r"^(?:/start\s+)?consent_(?P<id>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$"
)


def parse_reply(text: str | None) -> tuple[str, str] | None:
    """("approve" | "deny", CODE) for an answer by code, else None."""
    found = REPLY.match(keyword_form(text or ""))
    if found is None:
        return None
    action = "approve" if found["word"] in YES_WORDS else "deny"
    return action, found["code"].upper()


def parse_deep_link(text: str | None) -> str | None:
    found = DEEP_LINK.match(keyword_form(text or ""))
    return found["id"] if found else None


async def owners(ctx: Ctx) -> list[str]:
    """Whose requests a code may name: the phone's Health IDs, or the chat's."""
    if is_phone_channel(ctx):
        return await phone_abhas(ctx)
    linked = await ctx.services.channels.linked(ctx.channel, ctx.subject)
    held = [numbers.compact(number) for number in linked]
    current = ctx.data.get("abha") if ctx.flow == FLOW else None
    return list(dict.fromkeys([*([current] if current else []), *held]))


def _say(ctx: Ctx, message: Message) -> Outcome:
    """Within "My consents", back to its list; from anywhere else, the main menu."""
    if ctx.flow == FLOW and ctx.data.get("abha"):
        return go("home", message)
    return finish(message)


async def _by_id(ctx: Ctx, people: list[str], request_id: str) -> ConsentView | None:
    for number in people:
        try:
            return await ctx.services.consent.find_by_id(number, request_id)
        except NotFound:  # not this holder's: try the next
            continue
    return None


async def catch_reply(ctx: Ctx, answer: Input) -> Outcome | None:
    """Where an answer by code or a deep link leads; None when the input is neither."""
    text = answer.choice or answer.text
    parsed = parse_reply(text)
    request_id = None if parsed else parse_deep_link(text)
    if parsed is None and request_id is None:
        return None
    people = await owners(ctx)
    if not people:
        return finish(msg("consent.no_abha" if is_phone_channel(ctx) else "consent.code.login"))
    if request_id is not None:
        found = await _by_id(ctx, people, request_id)
        if found is None:
            return _say(ctx, msg("consent.code.unknown", code=request_id[:8]))
        return Go("request", flow=FLOW, data=_holder(found))
    assert parsed is not None
    action, code = parsed
    found = await ctx.services.consent.find_among(people, code)
    if found is None:
        return _say(ctx, msg("consent.code.unknown", code=code))
    status = found.status_now(ctx.now())
    if status is not ConsentStatus.REQUESTED:
        return _say(ctx, msg(f"consent.code.answered.{status.value}", code=code))
    data = {**_holder(found), "action": action}
    if ctx.flow != FLOW:
        data["via"] = "code"  # a cold answer ends with its outcome, not the list
    return Go("confirm", flow=FLOW, data=data)


def _holder(view: ConsentView) -> dict[str, str]:
    return {"abha": numbers.compact(view.abha_number), "code": view.code}
