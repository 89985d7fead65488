"""The words a conversation is made of: what a person sends (`Input`) and what we say (`Reply`).

Why these types are plain frozen data: a reply is channel-neutral (message *keys*, never prose),
so USSD, SMS and Telegram each render it their own way; and it round-trips through JSON, so the
engine can cache the reply to a delivery and answer a repeated delivery with the very same reply.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from core.state import StateKey
from flows.normalise import keyword_form


@dataclass(frozen=True, slots=True)
class ConversationKey:
    """Who we are talking to, and where: one conversation per (channel, subject).

    `subject` is the E.164 phone on USSD and SMS, the chat id on Telegram.
    """

    channel: str
    subject: str

    def state_key(self, kind: str = "conv") -> str:
        """A greppable store key: `conv:ussd:+919876543210`."""
        return str(StateKey(kind, self.channel, self.subject))


@dataclass(frozen=True, slots=True)
class Message:
    """One thing to say: a catalog key and its `{placeholder}` values (which may be messages
    themselves: `msg("consent.request.details", purpose=msg("consent.purpose.CAREMGT"))`)."""

    key: str
    params: Mapping[str, Param] = field(default_factory=dict)

    def to_json(self) -> Any:
        return [self.key, _params_to_json(self.params)] if self.params else [self.key]

    @classmethod
    def from_json(cls, raw: Any) -> Message:
        return cls(str(raw[0]), _params_from_json(raw[1]) if len(raw) > 1 else {})


#: What a message parameter may hold: a JSON scalar, or catalog text said in the reader's
#: language (a nested `Message`, or a tuple of them read as a list). Either way the reply stays
#: JSON (`to_json`), so the engine can cache it and a channel keep it on screen.
Param = str | int | float | Message | tuple[Message, ...]


def _param(value: Any) -> Param:
    """A parameter as kept: scalars and nested messages as they are, anything else its text
    (a datetime or Decimal)."""
    if isinstance(value, str | int | float | Message):
        return value
    if isinstance(value, tuple | list) and all(isinstance(item, Message) for item in value):
        return tuple(value)
    return str(value)


def _params(raw: Mapping[str, Any]) -> dict[str, Param]:
    return {str(name): _param(value) for name, value in raw.items()}


def _param_to_json(value: Param) -> Any:
    """A nested message is `{"msg": [key, params]}`, a tuple of them a list: never a string,
    so a parameter that is text stays text when read back."""
    if isinstance(value, Message):
        return {"msg": value.to_json()}
    if isinstance(value, tuple):
        return [_param_to_json(item) for item in value]
    return value


def _param_from_json(raw: Any) -> Param:
    if isinstance(raw, dict):
        return Message.from_json(raw["msg"])
    if isinstance(raw, list):
        return tuple(Message.from_json(item["msg"]) for item in raw)
    return _param(raw)


def _params_to_json(params: Mapping[str, Param]) -> dict[str, Any]:
    return {name: _param_to_json(value) for name, value in params.items()}


def _params_from_json(raw: Mapping[str, Any]) -> dict[str, Param]:
    return {str(name): _param_from_json(value) for name, value in raw.items()}


def msg(key: str, /, **params: Any) -> Message:
    """`msg("demo.year.invalid", min=1900)`: the way flows write a message."""
    return Message(key, _params(params))


@dataclass(frozen=True, slots=True)
class Choice:
    """A numbered option. `id` is what comes back (a Telegram button's data, or the number).

    `key`, when set, is the fixed number a keypad presses for it instead of its place in the
    list: `MORE_KEY` ("98") for "more" of a list or a long text, `BACK_KEY` ("0") for "back".
    Why fixed: a person learns once that 98 shows more and 0 goes back, on every page and in
    both languages (review D11, D12); "7. More" on one list and "4. More records" on the next
    cannot be learned. A keyed choice is shown after the numbered ones and does not take a
    number from them."""

    id: str
    label_key: str
    label_params: Mapping[str, Param] = field(default_factory=dict)
    key: str | None = None

    @property
    def label(self) -> Message:
        return Message(self.label_key, self.label_params)

    def to_json(self) -> Any:
        out: list[Any] = [self.id, self.label_key]
        if self.label_params or self.key is not None:
            out.append(_params_to_json(self.label_params))
        if self.key is not None:
            out.append(self.key)
        return out

    @classmethod
    def from_json(cls, raw: Any) -> Choice:
        params = _params_from_json(raw[2]) if len(raw) > 2 else {}
        return cls(str(raw[0]), str(raw[1]), params, str(raw[3]) if len(raw) > 3 else None)


#: The key of "more" (the next page of a list, the next part of a long text) on every phone page.
MORE_KEY = "98"
#: The key of "back" on every phone page.
BACK_KEY = "0"


def numbered(choices: Sequence[Choice]) -> list[Choice]:
    """The choices that take a number by their place (1, 2, ...): those without a fixed key."""
    return [choice for choice in choices if choice.key is None]


def keyed(choices: Sequence[Choice]) -> list[Choice]:
    """The choices pressed by a fixed key ("98", "0"), in the order a page shows them."""
    return [choice for choice in choices if choice.key is not None]


@dataclass(frozen=True, slots=True)
class Attachment:
    """Something a channel resolves itself, e.g. `Attachment("health_id_card", abha_number)`:
    Telegram sends the card image, SMS and USSD ignore it (their text already says it)."""

    kind: str
    ref: str


@dataclass(frozen=True, slots=True)
class Reply:
    """What to say now. Steps build it without `lang`; the engine stamps the conversation's."""

    messages: tuple[Message, ...] = ()
    choices: tuple[Choice, ...] = ()
    end: bool = False
    attachments: tuple[Attachment, ...] = ()
    #: The step wants a phone number: Telegram shows its contact-share button.
    request_contact: bool = False
    lang: str = "en"

    @classmethod
    def of(cls, *messages: Message, choices: tuple[Choice, ...] = (), end: bool = False) -> Reply:
        return cls(messages=messages, choices=choices, end=end)

    @property
    def silent(self) -> bool:
        """Nothing to send (an opted-out SMS number): the channel stays quiet."""
        return not (self.messages or self.choices or self.attachments)

    def after(self, *messages: Message, attachments: tuple[Attachment, ...] = ()) -> Reply:
        """This reply with `messages` said first (an error before the re-asked question)."""
        return replace(
            self,
            messages=(*messages, *self.messages),
            attachments=(*attachments, *self.attachments),
        )

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"lang": self.lang, "messages": [m.to_json() for m in self.messages]}
        if self.choices:
            out["choices"] = [c.to_json() for c in self.choices]
        if self.end:
            out["end"] = True
        if self.attachments:
            out["attachments"] = [[a.kind, a.ref] for a in self.attachments]
        if self.request_contact:
            out["request_contact"] = True
        return out

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> Reply:
        return cls(
            messages=tuple(Message.from_json(m) for m in raw.get("messages", ())),
            choices=tuple(Choice.from_json(c) for c in raw.get("choices", ())),
            end=bool(raw.get("end", False)),
            attachments=tuple(Attachment(str(k), str(r)) for k, r in raw.get("attachments", ())),
            request_contact=bool(raw.get("request_contact", False)),
            lang=str(raw.get("lang", "en")),
        )


@dataclass(frozen=True, slots=True)
class Input:
    """One delivery from a person, as a channel understood it.

    - `text`: what they typed (the engine normalises it before a step sees it);
    - `choice`: a choice id when the channel knows it exactly (a Telegram button);
    - `contact`: a phone number the channel vouches for (Telegram's contact share);
    - `lang`: a language hint, used only when a conversation starts;
    - `delivery_id`: the channel's id for this delivery; a repeat is answered from cache;
    - `session_id` / `new_session`: USSD's session; a new one may offer to resume;
    - `unprompted`: not an answer to the pending question but a message of its own (a
      notice's button, a deep link): the engine's catchers get it wherever the conversation
      stands, and the question still pending is kept for afterwards (BACK).

    Files a person sends (a Telegram photo or PDF) do not come through here: they are not an
    answer to any step, so `bot.uploads` stores them as the person's own record and then asks
    the pending question again.
    """

    text: str | None = None
    choice: str | None = None
    contact: str | None = None
    lang: str | None = None
    delivery_id: str | None = None
    session_id: str | None = None
    new_session: bool = False
    unprompted: bool = False

    @property
    def word(self) -> str:
        """The text as a keyword: case-folded, for matching `yes`, `MENU`, `Hindi`."""
        return keyword_form(self.text or "")


@dataclass(frozen=True, slots=True)
class Handled:
    """A reply, and whether it answered a delivery seen before (the channel then sends nothing
    again: the first answer already went out)."""

    reply: Reply
    duplicate: bool = False
