"""Message catalogs (gettext .po, one per language) and the one function that renders a key.

Why gettext .po: it is what India's translation communities and tools (Poedit, Weblate, Pootle)
already use, it carries translator comments and fuzzy flags, and Babel reads it without a
compile step. A msgid is a stable message key (`menu.main`), never English prose, so an English
wording change never orphans the Hindi. Placeholders are `{name}` (str.format).

A parameter may itself be catalog text (`Keyed`: a key and its parameters, such as a flow's
`Message`), or a tuple of them ("prescriptions, test reports"): `translate` says it in the same
language as the message around it. So a caller hands over keys only and never renders words
in a language it has to guess; every channel renders through `translate`, so it is done once.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from babel.messages.pofile import read_po

LANGUAGES: tuple[str, ...] = ("en", "hi")
DEFAULT_LANGUAGE = "en"
CATALOG_DIR = Path(__file__).parent


class MissingMessage(KeyError):
    """A key is absent from a catalog: a programming error the catalog tests catch first."""


def catalog_paths(lang: str) -> list[Path]:
    """One .po file per area (errors, sms, engine, healthid, ...), merged into one catalog."""
    return sorted((CATALOG_DIR / lang / "LC_MESSAGES").glob("*.po"))


@cache
def load_catalog(lang: str) -> Mapping[str, str]:
    """Key -> template for one language (cached for the life of the process)."""
    merged: dict[str, str] = {}
    for path in catalog_paths(lang):
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=lang)
        for message in catalog:
            if message.id and message.string and not message.fuzzy:
                if message.id in merged:
                    raise ValueError(f"{message.id!r} is defined twice in the {lang!r} catalogs")
                merged[str(message.id)] = str(message.string)
    return merged


def normalise_language(lang: str | None) -> str:
    if lang and lang.split("-")[0].lower() in LANGUAGES:
        return lang.split("-")[0].lower()
    return DEFAULT_LANGUAGE


def has_message(key: str, lang: str = DEFAULT_LANGUAGE) -> bool:
    return key in load_catalog(normalise_language(lang))


#: How a tuple of nested messages reads in either language: "prescriptions, test reports".
LIST_SEPARATOR = ", "


@runtime_checkable
class Keyed(Protocol):
    """A message key and its parameters, used as a parameter of another message."""

    @property
    def key(self) -> str: ...

    @property
    def params(self) -> Mapping[str, Any]: ...


def translate(key: str, lang: str | None = None, /, **params: Any) -> str:
    """Render `key` in `lang`; parameters fill `{name}` placeholders, nested keys in `lang` too."""
    lang = normalise_language(lang)
    template = load_catalog(lang).get(key)
    if template is None:
        raise MissingMessage(f"{key!r} is not in the {lang!r} catalog")
    if not params:
        return template.replace("{{", "{").replace("}}", "}")
    return template.format_map({name: _said(value, lang) for name, value in params.items()})


def _said(value: Any, lang: str) -> Any:
    """A parameter as the template takes it: nested keys rendered, anything else untouched."""
    if isinstance(value, str | int | float):
        return value
    if isinstance(value, Keyed):
        return translate(value.key, lang, **value.params)
    if isinstance(value, tuple) and all(isinstance(item, Keyed) for item in value):
        return LIST_SEPARATOR.join(translate(item.key, lang, **item.params) for item in value)
    return value


def placeholders(template: str) -> frozenset[str]:
    """The `{name}` fields a template uses, for the catalog consistency tests."""
    return frozenset(
        field.split(".")[0].split("[")[0]
        for _, field, _, _ in string.Formatter().parse(template)
        if field
    )
