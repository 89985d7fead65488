"""Telegram's HTML parse mode, as the Bot API applies it to `text` and `caption`.

Why the fake parses HTML: a message whose user-supplied value was not escaped (a name with `<`)
is refused by the real API with `can't parse entities`; the fake refuses it the same way, so a
missing `html.escape` fails a test instead of a production send. The result is what Telegram
stores and returns: the plain text plus a list of `MessageEntity` objects whose offsets and
lengths count UTF-16 code units.

Only what the Bot API documents is accepted: the tags below, the named entities `&lt; &gt; &amp;
&quot;` and numeric ones. A `&` that starts no entity is kept as text, as Telegram does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

#: Tag -> entity type (https://core.telegram.org/bots/api#html-style).
TAG_ENTITIES: dict[str, str] = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}

_ENTITY = re.compile(r"&(?:#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z]+));")
_START = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)((?:\s[^<>]*)?)/?>")
_END = re.compile(r"</([a-zA-Z][a-zA-Z0-9-]*)\s*>")
_NAME = re.compile(r"[a-zA-Z0-9-]*")
_ATTR = re.compile(r"""([a-zA-Z-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")


class HtmlParseError(ValueError):
    """The text is not valid Telegram HTML; `str()` is the API's description suffix."""


@dataclass
class _Open:
    tag: str
    offset: int
    attrs: dict[str, str]


@dataclass
class ParsedText:
    text: str
    entities: list[dict[str, Any]] = field(default_factory=list)


def utf16_len(text: str) -> int:
    """Telegram counts offsets and lengths in UTF-16 code units (a Devanagari letter is one)."""
    return len(text.encode("utf-16-le")) // 2


def _decode_entities(raw: str) -> str:
    def one(match: re.Match[str]) -> str:
        decimal, hexadecimal, name = match.groups()
        if decimal is not None:
            return chr(int(decimal))
        if hexadecimal is not None:
            return chr(int(hexadecimal, 16))
        return NAMED_ENTITIES.get(name, match.group(0))

    return _ENTITY.sub(one, raw)


def _attributes(raw: str) -> dict[str, str]:
    attrs: dict[str, str] = {}
    for match in _ATTR.finditer(raw):
        name, double, single, bare = match.groups()
        value = next((v for v in (double, single, bare) if v is not None), "")
        attrs[name.lower()] = _decode_entities(value)
    return attrs


def _entity(opened: _Open, length: int) -> dict[str, Any] | None:
    kind = TAG_ENTITIES[opened.tag]
    entity: dict[str, Any] = {"type": kind, "offset": opened.offset, "length": length}
    if opened.tag == "a":
        entity["url"] = opened.attrs.get("href", "")
    elif opened.tag == "tg-emoji":
        entity["custom_emoji_id"] = opened.attrs.get("emoji-id", "")
    elif opened.tag == "blockquote" and "expandable" in opened.attrs:
        entity["type"] = "expandable_blockquote"
    elif opened.tag == "code" and opened.attrs.get("class", "").startswith("language-"):
        entity = {**entity, "type": "pre", "language": opened.attrs["class"][9:]}
    return entity if length > 0 else None


def parse_html(source: str) -> ParsedText:
    """Plain text and entities of `source`; raises HtmlParseError like the Bot API."""
    out: list[str] = []
    position = 0  # UTF-16 units written so far
    stack: list[_Open] = []
    entities: list[dict[str, Any]] = []
    i = 0
    while i < len(source):
        char = source[i]
        byte_offset = len(source[:i].encode())
        if char == "<":
            end = _END.match(source, i)
            if end:
                tag = end.group(1).lower()
                if not stack:
                    raise HtmlParseError(f"Unexpected end tag at byte offset {byte_offset}")
                if stack[-1].tag != tag:
                    raise HtmlParseError(
                        f"Unmatched end tag at byte offset {byte_offset}, expected "
                        f'"</{stack[-1].tag}>", found "</{tag}>"'
                    )
                opened = stack.pop()
                entity = _entity(opened, position - opened.offset)
                if entity:
                    entities.append(entity)
                i = end.end()
                continue
            start = _START.match(source, i)
            name_match = _NAME.match(source, i + 1)
            name = name_match.group(0) if name_match else ""
            if not start or start.group(1).lower() not in TAG_ENTITIES:
                raise HtmlParseError(f'Unsupported start tag "{name}" at byte offset {byte_offset}')
            tag = start.group(1).lower()
            attrs = _attributes(start.group(2))
            if tag == "span" and attrs.get("class") != "tg-spoiler":
                raise HtmlParseError('Tag "span" must have class "tg-spoiler"')
            stack.append(_Open(tag, position, attrs))
            i = start.end()
            continue
        if char == "&":
            entity_match = _ENTITY.match(source, i)
            if entity_match:
                decoded = _decode_entities(entity_match.group(0))
                out.append(decoded)
                position += utf16_len(decoded)
                i = entity_match.end()
                continue
        # Anything else, a bare '>' included, is text: only '<' and '&' start markup.
        out.append(char)
        position += utf16_len(char)
        i += 1
    if stack:
        raise HtmlParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1].tag}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return ParsedText("".join(out), entities)
