"""Inputs and modelled person time of the feature-phone journeys, from their USSD transcripts.

Why from the transcripts: tests/golden/<flow>/ussd_*.json are recorded hop by hop over the real
/ussd endpoint (and replayed by the suite, so they cannot drift from the code); each holds every
page the person saw and every input they typed. The model (issue 14): 2 s of network per hop,
reading 8 characters a second, 1 s per key pressed, 15 s to receive an OTP SMS. An operator ends
a USSD session after about 180 s; the target is under 150 s.

    .venv/bin/python -m bench.journeys

(Here in the shared harness so that both bench/journeys.py and a test use it.)
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from testing.golden import GOLDEN_DIR

NETWORK_S = 2.0
READ_CHARS_PER_S = 8.0
KEY_S = 1.0
OTP_SMS_S = 15.0
#: (transcript, journey, language, the most inputs allowed)
JOURNEYS: tuple[tuple[str, str, str, int], ...] = (
    ("healthid/ussd_aadhaar_short_hi.json", "ABHA by Aadhaar OTP", "hi", 9),
    ("healthid/ussd_aadhaar_en.json", "ABHA by Aadhaar OTP", "en", 9),
    ("healthid/ussd_aadhaar_short_en.json", "ABHA by Aadhaar OTP (terms read)", "en", 10),
    ("healthid/ussd_mobile_short_hi.json", "ABHA address by mobile only", "hi", 11),
    ("healthid/ussd_mobile_en.json", "ABHA address by mobile only", "en", 14),
    ("records/ussd_records_hi.json", "newest record", "hi", 5),
    ("records/ussd_records_en.json", "newest record", "en", 5),
)


@dataclass(frozen=True, slots=True)
class Measure:
    journey: str
    lang: str
    inputs: int
    seconds: float
    limit: int


def measure(path: Path, journey: str, lang: str, limit: int, *, upto: int | None = None) -> Measure:
    """Walk a transcript's hops (up to `upto` inputs): each hop costs the network, the keys
    typed, reading the page shown; a hop that brings an OTP SMS costs its delivery."""
    hops = [
        hop for hop in json.loads(path.read_text(encoding="utf-8"))["hops"] if "advance" not in hop
    ]
    inputs, seconds = 0, 0.0
    for hop in hops:
        if not hop.get("dial"):
            if upto is not None and inputs >= upto:
                break
            inputs += 1
            typed = str(hop["send"])
            seconds += KEY_S * (6 if typed == "{otp}" else len(typed))
        seconds += NETWORK_S
        for shown in hop.get("expect", []):
            if shown.startswith("SMS: "):
                seconds += OTP_SMS_S if "OTP" in shown else 0.0
            else:
                seconds += len(shown.removeprefix("CON ").removeprefix("END ")) / READ_CHARS_PER_S
    return Measure(journey, lang, inputs, seconds, limit)


def measures() -> list[Measure]:
    """The journeys to their first result: a transcript that walks further is cut at `limit`."""
    return [
        measure(GOLDEN_DIR / name, journey, lang, limit, upto=limit)
        for name, journey, lang, limit in JOURNEYS
    ]
