"""A kept reply reads back exactly as it was, packed or not (webhooks.kept_reply)."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from webhooks.kept_reply import PACK_OVER, PACKED, pack, unpack

KEYS = st.sampled_from(["consent.seen.item", "consent.hitype.Prescription", "menu.title"])
PARAMS = st.dictionaries(
    st.sampled_from(["hiu", "date", "count", "types"]),
    st.one_of(st.text(max_size=40), st.integers(), st.lists(st.just({"msg": ["k"]}), max_size=8)),
    max_size=4,
)
REPLIES = st.fixed_dictionaries(
    {
        "lang": st.sampled_from(["en", "hi"]),
        "messages": st.lists(st.tuples(KEYS, PARAMS).map(list), max_size=8),
    }
)


@given(REPLIES)
def test_a_reply_reads_back_as_it_was(reply: dict[str, Any]) -> None:
    kept = pack(reply)
    assert unpack(json.loads(json.dumps(kept, ensure_ascii=False))) == reply
    long = len(json.dumps(reply, ensure_ascii=False, separators=(",", ":")).encode()) > PACK_OVER
    assert isinstance(kept, str) == long
    if isinstance(kept, str):
        assert kept.startswith(PACKED)
        assert '"' not in kept
        assert "\\" not in kept


def test_nothing_kept_is_an_empty_reply() -> None:
    assert unpack(None) == {}
    assert unpack({}) == {}
