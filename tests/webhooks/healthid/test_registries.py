"""The normaliser that lets one golden transcript stand for both registries (registries.py):
it hides which identifiers were issued, never how many or where they come back."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tests.webhooks.healthid.registries import Issued

HANDLES = st.from_regex(r"\A[a-z][a-z0-9]{3,8}([._][a-z0-9]{1,4})?\Z")


def test_issued_identifiers_are_named_by_first_appearance() -> None:
    issued = Issued()
    assert issued(["END ABHA ready! Number 19-4009-4929-1349, address neha.sharma@sbx"]) == [
        "END ABHA ready! Number <abha-number-1>, address <abha-address-1>"
    ]
    assert issued(["[nehasharma1968@sbx]", "[neha.sharma@sbx]", "91-1234-5678-9012"]) == [
        "[<abha-address-2>]", "[<abha-address-1>]", "<abha-number-2>"
    ]  # fmt: skip


def test_only_otp_sms_lose_their_text() -> None:
    issued = Issued()
    assert issued(
        [
            "SMS: 474653 is your Arogya OTP for ABHA. Valid for 10 minutes.",
            "SMS: आपका आरोग्य OTP 913370 है।",
            "SMS: Welcome to ABHA, Neha! Your ABHA number is 19-4009-4929-1349.",
            "CON Type the OTP sent to ******3210",
        ]
    ) == [
        "SMS: <otp>",
        "SMS: <otp>",
        "SMS: Welcome to ABHA, Neha! Your ABHA number is <abha-number-1>.",
        "CON Type the OTP sent to ******3210",
    ]


@given(st.lists(st.sampled_from([0, 1, 2]), min_size=1, max_size=6), st.data())
def test_two_runs_match_exactly_when_they_reuse_their_identifiers_alike(
    picks: list[int], data: st.DataObject
) -> None:
    """Two runs issuing different values read the same; a run that shows another address
    where the first showed its earlier one does not."""
    ours = data.draw(st.lists(HANDLES, min_size=3, max_size=3, unique=True))
    theirs = data.draw(st.lists(HANDLES, min_size=3, max_size=3, unique=True))
    one, two = Issued(), Issued()
    for pick in picks:
        assert one([f"address {ours[pick]}@sbx"]) == two([f"address {theirs[pick]}@sbx"])
    first = picks[0]
    other = (first + 1) % 3
    assert one([f"address {ours[first]}@sbx"]) != two([f"address {theirs[other]}@sbx"])
