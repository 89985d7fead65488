"""ABHA addresses: `handle@abdm`, the name a person gives a facility instead of their number.

Rules (ABDM): the handle is 8-18 characters of letters and digits with at most one `.` and one
`_`, neither first nor last; addresses are case-insensitive, so they are stored lowercased and
compared that way. We add one rule of our own: a handle holds at least one letter, so a login
identifier that is all digits is always a mobile or an ABHA number, never an address.

The suffix (`abdm` in production, `sbx` in ABDM's sandbox) comes from settings, so a person may
type the bare handle or the whole address.

`suggest` turns a name and birth year into free handles (`ramesh.kumar`, `rameshkumar1990`...);
a Hindi name is transliterated first (see `translit`), because handles are ASCII.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator

from core.errors import InvalidInput
from core.healthid.translit import to_latin

HANDLE_MIN = 8
HANDLE_MAX = 18
_HANDLE_CHARS = re.compile(r"[a-z0-9._]+")
#: Name parts are cut to this length so `first.last` patterns still fit in 18 characters.
_PART_MAX = 10
_FALLBACK_NAME = "abha"


def is_valid_handle(handle: str) -> bool:
    """True for a lowercase handle that follows ABDM's rules (and holds a letter)."""
    return (
        HANDLE_MIN <= len(handle) <= HANDLE_MAX
        and bool(_HANDLE_CHARS.fullmatch(handle))
        and handle.count(".") <= 1
        and handle.count("_") <= 1
        and handle[0] not in "._"
        and handle[-1] not in "._"
        and any(char.isalpha() for char in handle)
    )


def parse(text: str, suffix: str) -> str:
    """`Ramesh.Kumar` or `ramesh.kumar@SBX` -> `ramesh.kumar@sbx`; `address.invalid` otherwise."""
    handle, at, typed_suffix = text.strip().lower().rpartition("@")
    if not at:
        handle = typed_suffix
    elif typed_suffix != suffix.lower():
        raise InvalidInput("address.invalid")
    if not is_valid_handle(handle):
        raise InvalidInput("address.invalid")
    return f"{handle}@{suffix.lower()}"


def handle_of(address: str) -> str:
    """The part before `@`."""
    return address.partition("@")[0]


def name_slug(name: str | None) -> str:
    """ASCII letters of a name in any case and Latin or Devanagari script (`रमेश` -> `ramesh`)."""
    if not name:
        return ""
    latin = unicodedata.normalize("NFKD", to_latin(name))
    return "".join(char for char in latin.lower() if "a" <= char <= "z")


def candidates(first_name: str, last_name: str | None, year_of_birth: int) -> list[str]:
    """Valid handles built from a name and birth year, the likeliest first, without repeats."""
    first = name_slug(first_name)[:_PART_MAX] or _FALLBACK_NAME
    last = name_slug(last_name)[:_PART_MAX]
    year, yy = str(year_of_birth), str(year_of_birth)[-2:]
    patterns = [
        f"{first}.{last}" if last else "",
        f"{first}{last}{year}",
        f"{first}.{last}{yy}" if last else "",
        f"{first}_{last}" if last else "",
        f"{first}{year}",
        f"{last}.{first}" if last else "",
        f"{first}_{year}",
        f"{first[0]}{last}{year}" if last else "",
        f"{first}.{last}{year}" if last else "",
        f"{first}{last[:1]}{year}",
        f"{first}.{year}",
    ]
    return list(dict.fromkeys(handle for handle in patterns if is_valid_handle(handle)))


def _numbered(first_name: str, year_of_birth: int) -> Iterator[str]:
    """Endless fallback handles (`om.19901`, `om.19902`...) for when every pattern is taken."""
    base = f"{name_slug(first_name)[:_PART_MAX] or _FALLBACK_NAME}.{year_of_birth}"
    width = max(1, HANDLE_MIN - len(base))
    number = 1
    while True:
        handle = f"{base}{number:0{width}d}"
        if len(handle) > HANDLE_MAX:
            base = base[: HANDLE_MAX - len(str(number)) - len(str(year_of_birth)) - 1]
            base = f"{base.rstrip('.')}.{year_of_birth}"
            handle = f"{base}{number}"
        yield handle
        number += 1


def suggest(
    first_name: str,
    last_name: str | None,
    year_of_birth: int,
    taken: Callable[[str], bool],
    count: int = 3,
) -> list[str]:
    """At least `count` free handles: the name patterns first, then numbered fallbacks."""
    patterns = candidates(first_name, last_name, year_of_birth)
    free = [handle for handle in patterns if not taken(handle)]
    fallback = _numbered(first_name, year_of_birth)
    while len(free) < count:
        handle = next(fallback)
        if is_valid_handle(handle) and not taken(handle) and handle not in free:
            free.append(handle)
    return free
