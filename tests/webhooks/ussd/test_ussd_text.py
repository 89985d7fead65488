"""Reading Africa's Talking's cumulative `text`: the newest input, whatever it contains."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from webhooks.ussd_session import UssdSession

INPUTS = st.text(st.sampled_from("0123456789*#abc अआ😀"), max_size=12)


@given(st.lists(INPUTS, min_size=1, max_size=12).filter(lambda inputs: inputs[0] != ""))
def test_each_newest_input_is_recovered_even_with_stars(inputs: list[str]) -> None:
    session = UssdSession.dialled("ATUid_1", "")
    for count in range(1, len(inputs) + 1):
        text = "*".join(inputs[:count])
        assert not session.is_repeat(text)
        assert session.newest_input(text) == inputs[count - 1]
        session.consume(text)
        assert session.is_repeat(text)


@given(st.lists(INPUTS, min_size=1, max_size=8).filter(lambda i: i[0] != ""), st.data())
def test_a_text_that_rewrites_the_past_does_not_continue_the_session(
    inputs: list[str], data: st.DataObject
) -> None:
    session = UssdSession.dialled("ATUid_1", "")
    consumed = inputs[0]
    session.newest_input(consumed)
    session.consume(consumed)
    text = data.draw(st.text(max_size=20).filter(lambda t: not t.startswith(f"{consumed}*")))
    assert session.newest_input(text) is None


def test_the_record_stays_small_whatever_the_text() -> None:
    session = UssdSession.dialled("ATUid_1", "")
    session.consume("1*" + "x" * 10_000)
    assert len(str(session.to_json())) < 200
