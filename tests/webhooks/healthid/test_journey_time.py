"""The feature-phone journeys within their input targets and a USSD session's time, in both
languages.

Why a test: "fits one session" is a number (issue 14). `testing.journeys` measures the
transcripts the suite replays over the real /ussd endpoint: an ABHA by Aadhaar OTP in at most 9
inputs, an ABHA address by mobile only in at most 11, the newest record in at most 5, approving
a waiting consent in at most 4 (a one-screen question, the whole request one key away), each
under 150 s of modelled person time (2 s network a hop, 8 characters read a second, 1 s a key, 15 s
for an OTP SMS). The time is arithmetic over the transcript, not a clock, so it may be asserted.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from testing.golden import GOLDEN_DIR
from testing.journeys import JOURNEYS, TARGET_SECONDS, Journey, measure


@pytest.mark.parametrize("journey", JOURNEYS, ids=lambda j: f"{j.name}-{j.lang}")
def test_each_journey_meets_its_input_target_and_time(journey: Journey) -> None:
    measured = measure(journey)
    assert measured.inputs <= journey.limit, measured
    assert measured.seconds < TARGET_SECONDS, measured


def test_every_journey_is_measured_in_both_languages() -> None:
    names = {journey.name for journey in JOURNEYS}
    assert len(names) == 4
    for name in names:
        assert {j.lang for j in JOURNEYS if j.name == name} == {"en", "hi"}, name


def test_the_targets_are_issue_14s_and_a_grown_journey_counts_its_hop(tmp_path: Path) -> None:
    """The limits are the issue's, and the measure walks the whole transcript: a hop added at
    its end is counted (a measure cut at the limit could never fail)."""
    limits = {(j.name, j.lang): j.limit for j in JOURNEYS}
    assert limits[("ABHA by Aadhaar OTP", "hi")] == 9
    assert limits[("ABHA address by mobile only", "hi")] == 11
    assert limits[("newest record", "hi")] == 5
    assert limits[("approve a waiting consent", "en")] == 4
    assert limits[("approve a waiting consent", "hi")] == 4
    journey = JOURNEYS[0]
    script = json.loads((GOLDEN_DIR / journey.transcript).read_text(encoding="utf-8"))
    script["hops"].append({"send": "98", "expect": ["CON x"]})
    (tmp_path / "healthid").mkdir()
    (tmp_path / journey.transcript).write_text(json.dumps(script), encoding="utf-8")
    grown = measure(journey, tmp_path)
    assert grown.inputs == measure(journey).inputs + 1
