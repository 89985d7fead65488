"""The LGD table: every state and UT once, districts inside real states, names in both scripts."""

from __future__ import annotations

from core.facilities import lgd


def test_all_36_states_and_union_territories() -> None:
    assert len(lgd.STATES) == 36
    assert sum(state.union_territory for state in lgd.STATES) == 8
    assert len({state.code for state in lgd.STATES}) == 36
    # Codes 25 and 26 (Daman and Diu, Dadra and Nagar Haveli) were merged into 38 in 2020.
    assert lgd.state(25) is None
    assert lgd.state(26) is None
    assert lgd.state(38) is not None
    assert lgd.state(37) is not None
    assert lgd.name(lgd.state(9), "hi") == "उत्तर प्रदेश"  # type: ignore[arg-type]
    assert lgd.name(lgd.state(9), "en") == "Uttar Pradesh"  # type: ignore[arg-type]


def test_districts_lie_in_known_states_with_unique_codes() -> None:
    assert len({district.code for district in lgd.DISTRICTS}) == len(lgd.DISTRICTS)
    assert all(lgd.state(district.state_code) for district in lgd.DISTRICTS)
    assert all(district.name and district.name_hi for district in lgd.DISTRICTS)
    large = (9, 27, 10, 19, 23, 33, 8, 29, 24, 28, 21, 36, 32)
    assert all(len(lgd.districts_of(code)) >= 4 for code in large)
    assert len(lgd.districts_of(7)) == 11  # every district of Delhi


def test_known_codes() -> None:
    assert lgd.district(162) == lgd.District(162, 9, "Lucknow", "लखनऊ")
    assert lgd.district(212).name == "Patna"  # type: ignore[union-attr]
    assert lgd.district(62).name == "Gurugram"  # type: ignore[union-attr]
    assert lgd.district(99999) is None


def test_districts_are_listed_by_name() -> None:
    names = [district.name for district in lgd.districts_of(10)]
    assert names == sorted(names)
    assert "Patna" in names


def test_find_districts_in_either_script() -> None:
    assert [d.code for d in lgd.find_districts("  lucknow ")] == [162]
    assert [d.code for d in lgd.find_districts("पटना")] == [212]
    assert {d.code for d in lgd.find_districts("mumbai")} == {482, 483}
    assert lgd.find_districts("") == []
