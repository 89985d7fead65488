"""Buttons a notice may carry, checked when the notice is queued.

Why checked at queue time: a malformed button found by the worker minutes later is a notice
that silently never arrives; found by `notify()` it is a bug that fails its own test. The spec
is channel-neutral JSON, rows of `{"label": <message key>, "data": <callback data>}` or
`{"label": <message key>, "url": <https URL>}`; Telegram renders an inline keyboard, SMS ignores
buttons. `data` is at most 64 bytes, Telegram's limit for callback data.

`data` that starts with `SAY` ("say:YES 4F7K") is words the person could have typed: the
channel delivers them as the person's own message, outside whatever question is pending (so
the notice's Approve answers the notice, wherever the conversation stands).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from locales import has_message

DATA_LIMIT_BYTES = 64
#: The prefix of button data that stands for a typed message (see the module docstring).
SAY = "say:"


def says(text: str) -> str:
    """Button data that sends `text` as the person's own message."""
    return SAY + text


@dataclass(frozen=True, slots=True)
class Button:
    label: str
    data: str | None = None
    url: str | None = None

    def spec(self) -> dict[str, str]:
        spec = {"label": self.label}
        if self.data is not None:
            spec["data"] = self.data
        if self.url is not None:
            spec["url"] = self.url
        return spec


def _button(item: Any, lang: str) -> Button:
    if not isinstance(item, dict) or set(item) - {"label", "data", "url"}:
        raise ValueError(f"a button is {{label, data | url}}, not {item!r}")
    label, data, url = item.get("label"), item.get("data"), item.get("url")
    if not isinstance(label, str) or not has_message(label, lang):
        raise ValueError(f"button label {label!r} is not a message key in {lang!r}")
    if (data is None) == (url is None):
        raise ValueError("a button has exactly one of data and url")
    if data is not None and not (
        isinstance(data, str) and 1 <= len(data.encode()) <= DATA_LIMIT_BYTES
    ):
        raise ValueError(f"button data must be 1-{DATA_LIMIT_BYTES} bytes: {data!r}")
    if url is not None and not (isinstance(url, str) and url.startswith("https://")):
        raise ValueError(f"button url must be https: {url!r}")
    return Button(label=label, data=data, url=url)


def parse_buttons(spec: Any, lang: str) -> tuple[tuple[Button, ...], ...]:
    """Rows of buttons from their JSON spec; raises ValueError on anything malformed."""
    if spec is None:
        return ()
    if not isinstance(spec, list | tuple) or not all(isinstance(r, list | tuple) for r in spec):
        raise ValueError("buttons are a list of rows, each a list of buttons")
    rows = tuple(tuple(_button(item, lang) for item in row) for row in spec)
    if any(not row for row in rows):
        raise ValueError("a row of buttons is empty")
    return rows


def buttons_spec(rows: tuple[tuple[Button, ...], ...]) -> list[list[dict[str, str]]]:
    return [[button.spec() for button in row] for row in rows]
