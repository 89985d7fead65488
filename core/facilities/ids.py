"""Facility ids: `IN` + the state's two-digit LGD code + 8 random digits, like HFR's.

Why the state code inside: HFR ids carry it, people and support staff read it ("IN07..." is a
Delhi facility), and it spreads ids across states. Why random digits: a sequential id tells a
competitor how many facilities registered. The digits come from the injected rng; the primary
key settles the rare collision (the service draws again).
"""

from __future__ import annotations

import random
import re

_SHAPE = re.compile(r"IN(\d{2})(\d{8})")


def generate(state_code: int, rng: random.Random) -> str:
    if not 1 <= state_code <= 99:
        raise ValueError(f"an LGD state code has two digits, got {state_code}")
    return f"IN{state_code:02d}{rng.randrange(10**8):08d}"


def is_valid(text: str) -> bool:
    return _SHAPE.fullmatch(text) is not None


def state_code_of(facility_id: str) -> int:
    match = _SHAPE.fullmatch(facility_id)
    if match is None:
        raise ValueError(f"not a facility id: {facility_id!r}")
    return int(match.group(1))
