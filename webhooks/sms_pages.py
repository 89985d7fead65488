"""Long SMS replies in parts: at most `sms_max_segments` segments each, "98"/"MORE" for the next.

Why: a 36-state list or a record summary in Hindi would be a dozen UCS-2 segments; operators
reassemble badly past a few, and each segment costs. Like a USSD page, a reply is cut at line
and word boundaries (`webhooks.render.paginate`) and the part showing is remembered in the
conversation's channel record, so "98", "MORE" or "आगे" shows the next part and "0" the previous,
without disturbing the conversation.
"""

from __future__ import annotations

from typing import Any

from core.sms.encoding import PART_LIMIT, Encoding
from flows.normalise import keyword_form
from flows.session import Session
from flows.types import Handled, Input, Reply
from webhooks.render import MORE, PREV, PageBudget, Translate, render_ussd

CHANNEL = "sms"
MORE_WORDS = frozenset(keyword_form(word) for word in (MORE, "more", "next", "आगे", "और"))


def sms_budget(max_segments: int) -> PageBudget:
    """A reply of `max_segments` concatenated parts (153 GSM-7 / 67 UCS-2 characters each)."""
    return PageBudget(
        gsm7=max_segments * PART_LIMIT[Encoding.GSM7],
        ucs2=max_segments * PART_LIMIT[Encoding.UCS2],
    )


def sms_parts(reply: Reply, translate: Translate, max_segments: int) -> list[str]:
    return render_ussd(reply, translate, sms_budget(max_segments))


async def answer(
    convo: Session[Any], answer_in: Input, translate: Translate, max_segments: int
) -> tuple[Handled, str]:
    """The part of the reply to send for this message: the next or previous part of the
    last reply when asked for, else the first part of the engine's answer."""
    record: dict[str, Any] = dict(convo.channel.get(CHANNEL) or {})
    word = keyword_form(answer_in.text or "")
    if record.get("reply") and word in MORE_WORDS | {PREV}:
        reply = Reply.from_json(record["reply"])
        parts = sms_parts(reply, translate, max_segments)
        page = int(record.get("page", 0))
        step = 1 if word in MORE_WORDS else -1
        if 0 <= page + step < len(parts):
            record["page"] = page + step
            convo.channel[CHANNEL] = record
            return Handled(reply), parts[page + step]
    handled = await convo.handle(answer_in)
    parts = sms_parts(handled.reply, translate, max_segments)
    if len(parts) > 1:
        convo.channel[CHANNEL] = {"reply": handled.reply.to_json(), "page": 0}
    else:
        convo.channel.pop(CHANNEL, None)  # nothing to page through: keep the state small
    return handled, parts[0] if parts else ""
