"""The connecting words of a summary in one language: labels, dates, numbers, sizes.

Why a small object: every renderer needs "translate this key" and "show this date" in the
reader's language, and nothing else about languages. Clinical words (a drug, a test, a unit)
never pass through here: they are shown as the bundle wrote them.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from babel.dates import format_date

from locales import normalise_language, translate

KB = 1024
MB = 1024 * 1024


class Words:
    def __init__(self, lang: str) -> None:
        self.lang = normalise_language(lang)

    def __call__(self, key: str, **params: Any) -> str:
        """`records.<key>` in this language."""
        return translate(f"records.{key}", self.lang, **params)

    def date(self, value: object) -> str | None:
        """A FHIR date or dateTime on its own calendar day (no conversion to UTC), in the
        catalog's pattern; a partial date (`2019`, `2019-08`) as written."""
        if isinstance(value, datetime):
            value = value.date()
        if isinstance(value, date):
            return str(format_date(value, self("date_format"), locale=self.lang))
        if isinstance(value, str) and value.strip():
            return value.strip()
        return None

    @staticmethod
    def number(value: object) -> str:
        """A measured value as written: `170`, `99.5`, `23.53`; no grouping, no exponent."""
        if isinstance(value, Decimal):
            text = format(value, "f")
        elif isinstance(value, float):
            text = repr(value)
        else:
            text = str(value)
        return text[:-2] if text.endswith(".0") else text

    def unit(self, code: str, value: str) -> str:
        """A UCUM time unit (`d`, `wk`) in words, singular for one: "1 day", "7 days"."""
        return self(f"unit.{code}.{'one' if value == '1' else 'other'}")

    def size(self, size: int) -> str:
        if size >= MB:
            return self("size.mb", value=f"{size / MB:.1f}")
        return self("size.kb", value=str(max(1, round(size / KB))))
