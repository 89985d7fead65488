"""Inputs and modelled person time of the feature-phone journeys, from their USSD transcripts.

Why from the transcripts: tests/golden/<flow>/ussd_*.json are recorded hop by hop over the real
/ussd endpoint (and replayed by the suite, so they cannot drift from the code); each holds every
page the person saw and every input they typed. Each journey has a transcript of its own that
ends at the journey's result, and the whole of it is measured: a journey that grows a hop shows
it. The model (issue 14): 2 s of network per hop,
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
#: An operator ends a USSD session after about 180 s; every journey must take less than this.
TARGET_SECONDS = 150.0


@dataclass(frozen=True, slots=True)
class Journey:
    """A transcript that walks exactly one journey, from the dial to its result."""

    transcript: str
    name: str
    lang: str
    #: The most inputs after dialling the journey may take (issue 14's targets).
    limit: int


JOURNEYS: tuple[Journey, ...] = (
    Journey("healthid/ussd_aadhaar_short_hi.json", "ABHA by Aadhaar OTP", "hi", 9),
    Journey("healthid/ussd_aadhaar_first_en.json", "ABHA by Aadhaar OTP", "en", 9),
    Journey("healthid/ussd_mobile_short_hi.json", "ABHA address by mobile only", "hi", 11),
    Journey("healthid/ussd_mobile_short_en.json", "ABHA address by mobile only", "en", 11),
    Journey("records/ussd_newest_hi.json", "newest record", "hi", 5),
    Journey("records/ussd_newest_en.json", "newest record", "en", 5),
    # One screen's question; the whole request (three Hindi screens) is one key away.
    Journey("consent/ussd_approve_hi.json", "approve a waiting consent", "hi", 4),
    Journey("consent/ussd_approve_en.json", "approve a waiting consent", "en", 4),
)


@dataclass(frozen=True, slots=True)
class Measure:
    journey: str
    lang: str
    inputs: int
    seconds: float
    limit: int


def measure(journey: Journey, folder: Path = GOLDEN_DIR) -> Measure:
    """Walk the whole transcript: each hop costs the network, the keys typed and reading the
    page shown (every screen the person turns to is a hop of its own, so a question hidden
    behind "98" costs its hop); a hop that brings an OTP SMS costs its delivery."""
    script = json.loads((folder / journey.transcript).read_text(encoding="utf-8"))
    inputs, seconds = 0, 0.0
    for hop in script["hops"]:
        if "advance" in hop:
            continue
        if not hop.get("dial"):
            inputs += 1
            typed = str(hop["send"])
            seconds += KEY_S * (6 if typed == "{otp}" else len(typed))
        seconds += NETWORK_S
        for shown in hop.get("expect", []):
            if shown.startswith("SMS: "):
                seconds += OTP_SMS_S if "OTP" in shown else 0.0
            else:
                seconds += len(shown.removeprefix("CON ").removeprefix("END ")) / READ_CHARS_PER_S
    return Measure(journey.name, journey.lang, inputs, seconds, journey.limit)


def measures() -> list[Measure]:
    return [measure(journey) for journey in JOURNEYS]
