"""The person's "YES <code>" to a facility's link request (core.records.linking), by SMS.

Why a catcher and not a menu entry: the SMS arrives out of the blue ("Sanjeevani Hospital wants
to add your visits ... reply YES 042817"), and the person answers it without navigating. Only
phone channels are heard (the gateway vouches for the number, which is the ABHA's mobile), and
only requests for ABHAs holding that mobile are looked at, so a code sent from any other phone
authorises nothing. Six digits keep it apart from a consent code ("YES 4F7K").
"""

from __future__ import annotations

import re

from flows import Input, Outcome, finish, keyword_form, msg
from flows.consent.replies import YES_WORDS
from flows.ctx import Ctx, is_phone_channel

_WORD = "|".join(sorted(YES_WORDS, key=len, reverse=True))
REPLY = re.compile(rf"^(?:{_WORD})\s*[-:.#]?\s*(?P<code>[0-9]{{6}})$")


def parse_link_reply(text: str | None) -> str | None:
    """The six-digit code of a "YES 042817", else None."""
    found = REPLY.match(keyword_form(text or ""))
    return found["code"] if found else None


async def catch_link_reply(ctx: Ctx, answer: Input) -> Outcome | None:
    """Authorise the facility's request this code names; None for any other text."""
    code = parse_link_reply(answer.choice or answer.text)
    if code is None or not is_phone_channel(ctx):
        return None
    facility = await ctx.services.links.authorise_by_reply(ctx.subject, code)
    if facility is None:
        return finish(msg("link.reply.unknown"))
    return finish(msg("link.reply.authorised", facility=facility))
