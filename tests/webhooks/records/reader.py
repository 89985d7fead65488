"""A person who reads every record to the end, over a real phone, and what they saw.

The reader logs in, types the PIN, and then for each record in the list opens it and keeps
going: "98" while the page offers "98. More" (the rest of the part, or with "(2/5)" the
record's next part), then "Back to my records". Every page is checked by the phone (USSD
budget) and the `Weighed` wrapper (state under 1 KB); what was shown is collected per record,
without the navigation lines, so a test can look for every line of the summary in it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from locales import translate
from testing.golden import Phone

NUMBERED = re.compile(r"^(\d+)\. (.*)$")


def _nav_labels(lang: str) -> dict[str, str]:
    return {
        "more": translate("engine.more", lang),
        "prev": translate("engine.prev", lang),
        "to_list": translate("recordsflow.to_list", lang),
    }


@dataclass
class Screen:
    """One thing the phone showed: its text lines and its numbered choices."""

    lines: list[str]
    choices: dict[str, str] = field(default_factory=dict)  # label -> number

    def number(self, label: str) -> str | None:
        """The number of the choice labelled `label` (or `label (...)`), if it is on screen."""
        for shown, number in self.choices.items():
            if shown == label or shown.startswith(f"{label} ("):
                return number
        return None

    @classmethod
    def of(cls, shown: list[str]) -> Screen:
        """The reply among what arrived (USSD: the body; SMS: the text that is not an SMS
        notice), split into text lines and the numbered choices at its end."""
        replies = [text for text in shown if not text.startswith("SMS: ")]
        assert len(replies) == 1, shown
        body = replies[0].removeprefix("CON ").removeprefix("END ")
        screen = cls([])
        for line in body.split("\n"):
            numbered = NUMBERED.match(line)
            if numbered:
                screen.choices[numbered.group(2)] = numbered.group(1)
            else:
                screen.lines.append(line)
        return screen


class Reader:
    def __init__(self, phone: Phone, lang: str) -> None:
        self.phone = phone
        self.lang = lang
        self.labels = _nav_labels(lang)
        self.pages_seen = 0
        #: "98"s sent inside records: the channel paging a part too long for one reply.
        self.page_turns = 0

    async def send(self, text: str) -> Screen:
        self.pages_seen += 1
        assert self.pages_seen < 2000, "the reader is going round in circles"
        return Screen.of(await self.phone.send(text))

    async def read_open_record(self, first: Screen) -> tuple[list[str], int, Screen]:
        """Read the record on screen to its end: its text lines, how many parts it had, and
        the choices of its last part (a part's choices may be spread over its pages)."""
        screen, text, parts = first, [], 1
        offered = Screen([])
        while True:
            text.extend(screen.lines)
            offered.choices.update(screen.choices)
            more = next((label for label, number in screen.choices.items() if number == "98"), None)
            if more == self.labels["more"]:  # "98. More": the channel's next page of this reply
                self.page_turns += 1
                screen = await self.send("98")
            elif more is not None:  # "98. More (2/5)": the record's next part
                parts += 1
                screen, offered = await self.send("98"), Screen([])
            else:
                return text, parts, offered

    async def back_to_list(self, offered: Screen) -> Screen:
        """From a record's last part to the list."""
        number = offered.number(self.labels["to_list"])
        assert number is not None, offered
        return await self.send(number)

    async def list_page(self, screen: Screen, wanted: int, current: int) -> tuple[Screen, int]:
        """Turn the list to page `wanted` (1-based) with "98": through the screens of a list
        page (each after the first offers "0. Back"), then to the list's next page."""
        while current != wanted:
            assert screen.choices.get(self.labels["more"]) == "98", screen
            screen = await self.send("98")
            if self.labels["prev"] not in screen.choices:  # a list page's first screen
                current += 1
        return screen, current
