"""The audit log: appended in order, read back by subject and action, never carrying secrets."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.audit.service import AADHAAR_LIKE, AuditLog
from core.clock import FrozenClock

ABHA = "91-5032-7845-2167"


async def test_events_are_appended_and_read_back_in_order(
    audit: AuditLog, clock: FrozenClock
) -> None:
    await audit.record(
        "abha.enrolled",
        actor=ABHA,
        subject=ABHA,
        channel="ussd",
        detail={"kyc": "verified", "mobile": "+919876543210"},
    )
    await audit.record("abha.pin_set", actor=ABHA, subject=ABHA, channel="ussd")
    clock.advance(60)
    await audit.record("abha.login", actor="system", subject="91-1111-2222-3333", channel="api")
    await audit.record("abha.login", actor=ABHA, subject=ABHA, channel="telegram")

    mine = await audit.events(subject=ABHA)
    assert [e.action for e in mine] == ["abha.enrolled", "abha.pin_set", "abha.login"]
    assert mine[0].detail == {"kyc": "verified", "mobile": "+919876543210"}
    assert mine[1].detail == {}
    assert mine[2].at == clock.now()
    logins = await audit.events(action="abha.login")
    assert [e.subject for e in logins] == ["91-1111-2222-3333", ABHA]
    assert [e.channel for e in await audit.events(subject=ABHA, action="abha.login")] == [
        "telegram"
    ]
    assert len(await audit.events()) == 4


@pytest.mark.parametrize(
    "detail",
    [
        {"aadhaar": "xxxx"},
        {"OTP": "123456"},
        {"new_pin": "4821"},
        {"note": "aadhaar 9999 9999 0019 verified"},
        {"nested": {"ids": ["999999990019"]}},
    ],
)
async def test_a_detail_carrying_a_secret_is_refused(
    audit: AuditLog, detail: dict[str, object]
) -> None:
    with pytest.raises(ValueError, match="audit detail"):
        await audit.record("abha.enrolled", actor=ABHA, subject=ABHA, channel="sms", detail=detail)
    assert await audit.events() == []


async def test_events_of_one_act_are_written_together_in_order_or_not_at_all(
    audit: AuditLog,
) -> None:
    with pytest.raises(ValueError, match="audit detail"):
        await audit.record_together(
            [("abha.enrolled", {"kyc": "verified"}), ("abha.pin_set", {"pin": "4821"})],
            actor=ABHA,
            subject=ABHA,
            channel="ussd",
        )
    assert await audit.events() == []  # the good one was not written without the other

    await audit.record_together(
        [("abha.enrolled", {"kyc": "verified"}), ("abha.pin_set", None)],
        actor=ABHA,
        subject=ABHA,
        channel="ussd",
    )
    await audit.record("abha.login", actor=ABHA, subject=ABHA, channel="ussd")
    events = await audit.events(subject=ABHA)
    assert [(e.action, e.detail) for e in events] == [
        ("abha.enrolled", {"kyc": "verified"}),
        ("abha.pin_set", {}),
        ("abha.login", {}),
    ]


async def test_a_malformed_action_or_channel_is_refused(audit: AuditLog) -> None:
    with pytest.raises(ValueError, match="action"):
        await audit.record("Enrolled", actor=ABHA, subject=ABHA, channel="sms")
    with pytest.raises(ValueError, match="channel"):
        await audit.record("abha.enrolled", actor=ABHA, subject=ABHA, channel="fax")


def test_the_log_offers_no_way_to_change_history() -> None:
    public = {name for name in dir(AuditLog) if not name.startswith("_")}
    assert public == {"record", "record_together", "events"}  # appending, reading: no more


@given(
    digits=st.from_regex(r"\A[0-9]{12}\Z"),
    separator=st.sampled_from(["", " ", "-"]),
)
def test_any_twelve_digit_number_is_recognised(digits: str, separator: str) -> None:
    grouped = separator.join([digits[:4], digits[4:8], digits[8:]])
    assert AADHAAR_LIKE.search(f"uid {grouped}.")


@given(digits=st.from_regex(r"\A[0-9]{14}\Z"))
def test_abha_numbers_and_mobiles_are_not_mistaken_for_aadhaar(digits: str) -> None:
    formatted = f"{digits[:2]}-{digits[2:6]}-{digits[6:10]}-{digits[10:]}"
    assert not AADHAAR_LIKE.search(formatted)
    assert not AADHAAR_LIKE.search(digits)
    assert not AADHAAR_LIKE.search("+91" + digits[:10])
