"""Button specs are checked when a notice is queued, not discovered broken by the worker."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.notify.buttons import DATA_LIMIT_BYTES, Button, buttons_spec, parse_buttons

LABEL = "notify.button.open_menu"


@given(st.text(min_size=1, max_size=64).filter(lambda d: len(d.encode()) <= DATA_LIMIT_BYTES))
def test_callback_data_up_to_64_bytes_round_trips(data: str) -> None:
    spec = [[{"label": LABEL, "data": data}]]

    rows = parse_buttons(spec, "hi")

    assert rows == ((Button(label=LABEL, data=data),),)
    assert buttons_spec(rows) == spec


#: Over the limit by characters, or by bytes only (22 Devanagari letters are 66 bytes).
too_long = st.one_of(
    st.text(min_size=DATA_LIMIT_BYTES + 1, max_size=200),
    st.text(alphabet="अआकखगि्", min_size=22, max_size=40),
)


@given(too_long)
def test_callback_data_over_64_bytes_is_refused(data: str) -> None:
    with pytest.raises(ValueError, match="64 bytes"):
        parse_buttons([[{"label": LABEL, "data": data}]], "en")


@pytest.mark.parametrize(
    "spec",
    [
        [{"label": LABEL, "data": "x"}],  # a row that is not a list
        [[{"label": LABEL}]],  # neither data nor url
        [[{"label": LABEL, "data": "x", "url": "https://abdm.gov.in"}]],  # both
        [[{"label": LABEL, "url": "http://abdm.gov.in"}]],  # not https
        [[{"label": "Open menu", "data": "menu"}]],  # prose, not a message key
        [[{"label": LABEL, "data": "x", "colour": "red"}]],  # an unknown field
        [[]],  # an empty row
    ],
)
def test_malformed_specs_are_refused(spec: object) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - each case has its own message
        parse_buttons(spec, "en")


def test_no_buttons() -> None:
    assert parse_buttons(None, "en") == ()
