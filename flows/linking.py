"""The person's "YES <code>" / "NO <code>" to a facility's link request (core.records.linking).

Why a catcher and not a menu entry: the SMS arrives out of the blue ("Sanjeevani Hospital wants
to add your visits ... reply YES 042817"), and the person answers it without navigating; the
Telegram notice's Yes / No buttons send the same words (core.records.link_notice). Whose
requests a code may name: on USSD and SMS the phone's own ABHAs (the gateway vouches for the
number, which is the ABHA's mobile); on Telegram the ABHAs the chat proved by OTP
(`ChannelService.linked`). So a code typed from another phone, or tapped in someone else's
chat, decides nothing. Six digits keep it apart from a consent code ("YES 4F7K").
"""

from __future__ import annotations

import re

from core.records.linking import LinkAnswer
from flows import Input, Message, Outcome, finish, keyword_form, msg
from flows.consent.entry import phone_abhas
from flows.consent.replies import NO_WORDS, YES_WORDS
from flows.ctx import Ctx, is_phone_channel

_WORD = "|".join(sorted(YES_WORDS | NO_WORDS, key=len, reverse=True))
REPLY = re.compile(rf"^(?P<word>{_WORD})\s*[-:.#]?\s*(?P<code>[0-9]{{6}})$")


def parse_link_reply(text: str | None) -> tuple[bool, str] | None:
    """(approve, code) of a "YES 042817" / "NO 042817", else None."""
    found = REPLY.match(keyword_form(text or ""))
    if found is None:
        return None
    return found["word"] in YES_WORDS, found["code"]


async def holder_abhas(ctx: Ctx) -> list[str]:
    """The ABHAs this phone holds, or this chat proved (none once its link has lapsed)."""
    if is_phone_channel(ctx):
        return await phone_abhas(ctx)
    return await ctx.services.channels.linked(ctx.channel, ctx.subject)


def answered(result: LinkAnswer | None) -> Message:
    """What the person is told about their answer."""
    if result is None:
        return msg("link.reply.unknown")
    if not result.changed:
        earlier = "refused" if result.outcome == "refused" else "authorised"
        return msg(f"link.reply.answered.{earlier}", facility=result.facility)
    return msg(f"link.reply.{result.outcome}", facility=result.facility)


async def catch_link_reply(ctx: Ctx, answer: Input) -> Outcome | None:
    """Answer the facility's request this code names; None for any other text."""
    parsed = parse_link_reply(answer.choice or answer.text)
    if parsed is None:
        return None
    approve, code = parsed
    held = await holder_abhas(ctx)
    if not held:
        return finish(msg("link.reply.unknown" if is_phone_channel(ctx) else "link.reply.login"))
    result = await ctx.services.links.answer(held, approve=approve, code=code, channel=ctx.channel)
    return finish(answered(result))
