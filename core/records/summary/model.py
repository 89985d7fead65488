"""A summary's shape: a title and titled sections of short lines, already in one language.

Why structured: USSD pages 182 characters at a time, SMS replies stop at three segments and
Telegram shows it whole; each channel cuts along lines and sections, never mid-word, so the
summary keeps them apart instead of handing over one blob. `text()` is the plain rendering.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Section:
    #: Already translated ("Medicines", "दवाइयां"); empty for the opening lines.
    heading: str
    lines: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Summary:
    title: str
    sections: tuple[Section, ...]
    lang: str

    def lines(self) -> list[str]:
        """Every line in reading order (headings end with a colon, items start with "- "),
        the unit channels page by."""
        out = [self.title]
        for section in self.sections:
            if section.heading:
                out.append(f"{section.heading}:")
                out.extend(f"- {line}" for line in section.lines)
            else:
                out.extend(section.lines)
        return out

    def text(self) -> str:
        return "\n".join(self.lines())
