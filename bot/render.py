"""Turning a channel-neutral `Reply` into what a Telegram chat shows.

Why these choices:

- HTML parse mode, with every parameter `html.escape`d (`render_html`): parameters carry what
  people typed (names, addresses), and one unescaped `<` makes Telegram refuse the whole
  message. Templates are ours and may use Telegram's tags.
- The reply's messages become one text (a line each, as on SMS), cut into 4,096-character
  messages only if it is ever longer; its choices become inline buttons, one per row, on the
  last of them, so the live buttons are always at the bottom of the chat. The numbers USSD and
  SMS show are left out: a button says it, and typing the number still works.
- A step that asks for a phone number gets the contact-share reply keyboard; once a reply no
  longer asks for one, the keyboard is taken away again.
- An ended conversation gets one "Main menu" button, so a smartphone user never has to guess
  what to type next.
- `Attachment("health_id_card", abha)` becomes a photo, `Attachment("fhir_document", record)`
  a JSON file of the record's FHIR bundle (see `bot.delivery`); both go before the text, so the
  live buttons stay at the bottom of the chat.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from bot.notify_deliverer import render_html
from flows.types import Choice, Message, Reply
from locales import MissingMessage, translate

log = logging.getLogger(__name__)

TEXT_LIMIT = 4096
#: The choice an ended conversation's "Main menu" button sends (any input restarts it).
MENU_CHOICE = "menu"
CARD = "health_id_card"
FHIR_DOCUMENT = "fhir_document"


@dataclass(frozen=True, slots=True)
class Button:
    label: str
    data: str


@dataclass(frozen=True, slots=True)
class Outgoing:
    """What to send for one reply, in order: card photos, FHIR files, then the text messages."""

    lang: str
    cards: tuple[str, ...] = ()
    #: Ids of records whose FHIR bundle goes as a file.
    documents: tuple[str, ...] = ()
    texts: tuple[str, ...] = ()
    buttons: tuple[Button, ...] = ()
    #: Show the "share my phone number" keyboard with the text.
    ask_contact: bool = False
    #: Take that keyboard away with the text.
    hide_contact: bool = False

    @property
    def empty(self) -> bool:
        return not (self.cards or self.documents or self.texts)


def message_html(message: Message, lang: str) -> str:
    """One message as HTML. An error code without catalog text becomes a generic apology
    (logged), as on USSD and SMS; any other missing key is a bug and raises."""
    try:
        return render_html(message.key, lang, message.params)
    except MissingMessage:
        if not message.key.startswith("error."):
            raise
        log.error("no catalog text for %s (%s)", message.key, lang)
        return render_html("engine.error.unknown", lang, {})


def label(choice: Choice, lang: str) -> str:
    """Button text is plain (Telegram does not parse it): parameters stay as they are."""
    return translate(choice.label_key, lang, **choice.label_params)


def render_reply(reply: Reply, *, data_for: Callable[[str], str], contact_shown: bool) -> Outgoing:
    """`data_for(choice_id)` makes a button's callback data (bound to this turn)."""
    lang = reply.lang
    if reply.silent:
        return Outgoing(lang)
    lines = [message_html(message, lang) for message in reply.messages]
    if reply.request_contact:
        lines.append(render_html("telegram.contact.hint", lang, {}))
    if not lines:
        lines.append(render_html("telegram.choose", lang, {}))
    buttons = tuple(Button(label(choice, lang), data_for(choice.id)) for choice in reply.choices)
    if reply.end and not buttons:
        buttons = (Button(translate("telegram.button.menu", lang), data_for(MENU_CHOICE)),)
    cards = tuple(a.ref for a in reply.attachments if a.kind == CARD)
    documents = tuple(a.ref for a in reply.attachments if a.kind == FHIR_DOCUMENT)
    return Outgoing(
        lang=lang,
        cards=cards,
        documents=documents,
        texts=tuple(split_text("\n".join(lines))),
        buttons=buttons,
        ask_contact=reply.request_contact,
        hide_contact=contact_shown and not reply.request_contact,
    )


def utf16_len(text: str) -> int:
    """Telegram counts message length in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def split_text(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Messages of at most `limit` units, cut at line breaks (or spaces) where possible."""
    chunks: list[str] = []
    current = ""
    for line in text.split("\n"):
        candidate = f"{current}\n{line}" if current else line
        if utf16_len(candidate) <= limit:
            current = candidate
            continue
        if current:
            chunks.append(current)
        while utf16_len(line) > limit:
            cut = _longest_head(line, limit)
            space = line.rfind(" ", 0, cut)
            cut = space if space > 0 else cut
            chunks.append(line[:cut])
            line = line[cut:].lstrip(" ")
        current = line
    if current or not chunks:
        chunks.append(current)
    return chunks


def _longest_head(line: str, limit: int) -> int:
    """How many characters of `line` fit in `limit` UTF-16 units (at least one)."""
    units = 0
    for index, char in enumerate(line):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > limit:
            return max(index, 1)
    return len(line)
