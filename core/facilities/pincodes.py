"""India Post PIN code -> state and LGD district(s), offline.

Why: a person enrolling by USSD knows their postal PIN code by heart, and it says which state
and district they live in. Asking it first replaces two long lists (36 states, up to 75
districts) with one number; the district is asked only when a PIN code spans several.

Data: `data/pincodes.txt.gz`, derived once from the India Post "All India Pincode Directory"
(data.gov.in, Government Open Data License - India) as packaged in `indian-pincode` 2.1.0 (MIT;
snapshot 2025.10.03), with its district names matched to LGD codes (`core.facilities.lgd`).
19,504 PIN codes: 1,116 span several districts; 426 name only a state (their districts are newer
than the LGD export). Regenerate with `scripts/pincodes.py`. Nothing is downloaded at run time.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from functools import cache

from core.facilities import lgd


@dataclass(frozen=True, slots=True)
class Place:
    """Where a PIN code is: its state, and the district(s) it spans (none when unknown)."""

    state: lgd.State
    districts: tuple[lgd.District, ...]


@cache
def _table() -> dict[int, str]:
    table: dict[int, str] = {}
    pin = 0
    with gzip.open(lgd.DATA / "pincodes.txt.gz", "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#"):
                continue
            delta, where = line.split()
            pin += int(delta)
            table[pin] = where
    return table


def lookup(pin_code: str) -> Place | None:
    """The place of a 6-digit PIN code, or None when India Post has no such PIN code."""
    if not (len(pin_code) == 6 and pin_code.isascii() and pin_code.isdigit()):
        return None
    where = _table().get(int(pin_code))
    if where is None:
        return None
    if where.startswith("s"):
        state = lgd.state(int(where[1:]))
        return None if state is None else Place(state, ())
    districts = tuple(
        found for code in where.split(",") if (found := lgd.district(int(code))) is not None
    )
    if not districts:
        return None
    state = lgd.state(districts[0].state_code)
    return None if state is None else Place(state, districts)
