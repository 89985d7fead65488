"""Long SMS replies in parts: at most `sms_max_segments` segments each, "98"/"MORE" for the next.

Why: a 36-state list or a record summary in Hindi would be a dozen UCS-2 segments; operators
reassemble badly past a few, and each segment costs. So SMS uses the USSD pager
(`webhooks.pager`) with a budget of so many segments and more words ("98", "MORE", "next",
"आगे" for the next part, "0" for the previous), and keeps the reply and the part showing in
the conversation's channel record, so turning a part does not disturb the conversation.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from flows.normalise import keyword_form
from flows.session import Session
from flows.types import Handled, Input, Reply
from webhooks.kept_reply import pack, unpack
from webhooks.pager import MORE, PageBudget, Pager
from webhooks.render import Translate

CHANNEL = "sms"
#: Set in the channel record while the reply sent offers a "98. More" choice.
MORE_CHOICE = "m"
MORE_WORDS = frozenset(keyword_form(word) for word in (MORE, "more", "next", "आगे", "और"))


def sms_pager(translate: Translate, max_segments: int) -> Pager:
    """Parts of `max_segments` concatenated segments, turned by any spelling of the words."""
    return Pager(PageBudget.segments(max_segments), translate, more=MORE_WORDS, read=keyword_form)


def offers_more(convo: Session[Any], pager: Pager, text: str) -> bool:
    """ "MORE" (or "next", "आगे") past the last part of a reply whose "98. More" is a choice (a
    list's next page, a record's next part): the choice's key, as a keypad would send it, so
    every word for "more" means the one thing (review D11)."""
    record = convo.channel.get(CHANNEL) or {}
    return bool(record.get(MORE_CHOICE)) and pager.read(text) in pager.more


def _more_choice(reply: Reply) -> bool:
    return any(choice.key == MORE for choice in reply.choices)


async def answer(convo: Session[Any], answer_in: Input, pager: Pager) -> tuple[Handled, str]:
    """The part of the reply to send for this message: the next or previous part of the
    last reply when asked for, else the first part of the engine's answer."""
    record: dict[str, Any] = dict(convo.channel.get(CHANNEL) or {})
    page = int(record.get("page", 0))
    turned = pager.turn(answer_in.text or "", unpack(record.get("reply")), page)
    if turned is not None:
        record["page"] = turned.number
        convo.channel[CHANNEL] = record
        return Handled(turned.reply), turned.text
    if offers_more(convo, pager, answer_in.text or ""):
        answer_in = replace(answer_in, text=MORE)
    handled = await convo.handle(answer_in)
    first = pager.page(handled.reply)
    if first.last:
        convo.channel.pop(CHANNEL, None)  # nothing to page through: keep the state small
    else:
        convo.channel[CHANNEL] = {"reply": pack(handled.reply.to_json()), "page": 0}
    if _more_choice(handled.reply):  # a flag, not the reply: "MORE" then means its "98"
        convo.channel.setdefault(CHANNEL, {})[MORE_CHOICE] = 1
    return handled, first.text
