"""The four feature-phone journeys within their input targets and a USSD session's time.

Why a test: "fits one session" is a number (issue 14). `testing.journeys` measures the
transcripts the suite replays over the real /ussd endpoint; this keeps the Hindi first-time
caller's journeys at their targets (Aadhaar <= 9 inputs, mobile only <= 11, the newest record
<= 5) and under 150 s of modelled person time.
"""

from __future__ import annotations

from testing.journeys import measures

TARGET_SECONDS = 150.0


def test_the_hindi_journeys_meet_their_targets() -> None:
    found = {(m.journey, m.lang): m for m in measures()}
    for journey, inputs in (
        ("ABHA by Aadhaar OTP", 9),
        ("ABHA address by mobile only", 11),
        ("newest record", 5),
    ):
        measured = found[(journey, "hi")]
        assert measured.inputs <= inputs, measured
        assert measured.seconds < TARGET_SECONDS, measured
    assert found[("ABHA by Aadhaar OTP", "en")].inputs <= 9
