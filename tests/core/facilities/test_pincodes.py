"""Every district of India with its LGD code, and India Post PIN codes resolved offline.

Why: mobile-only enrolment offered 130 sample districts (Uttar Pradesh 8 of 75), so a person from
Sitapur could not enrol with the right district (review D4). The district now comes from the
postal PIN code, and the list behind it is LGD's whole one.
"""

from __future__ import annotations

from core.facilities import lgd, pincodes


def test_every_lgd_district_is_known() -> None:
    assert len(lgd.DISTRICTS) == 739
    assert len(lgd.districts_of(9)) == 75  # Uttar Pradesh
    assert len({d.code for d in lgd.DISTRICTS}) == len(lgd.DISTRICTS)
    for state in lgd.STATES:
        assert lgd.districts_of(state.code), state.name
    sitapur = lgd.district(183)
    assert sitapur is not None
    assert (sitapur.name, sitapur.state_code) == ("Sitapur", 9)
    assert lgd.name(lgd.district(162) or sitapur, "hi") == "लखनऊ"


def test_a_pin_code_gives_state_and_district() -> None:
    place = pincodes.lookup("261001")  # Sitapur
    assert place is not None
    assert place.state.name == "Uttar Pradesh"
    assert [d.name for d in place.districts] == ["Sitapur"]


def test_a_pin_code_across_districts_lists_them_all() -> None:
    place = pincodes.lookup("110025")
    assert place is not None
    assert len(place.districts) > 1


def test_a_district_newer_than_the_lgd_export_gives_the_state_only() -> None:
    place = pincodes.lookup("520001")  # Vijayawada, NTR district since 2022
    assert place is not None
    assert place.state.name == "Andhra Pradesh"
    assert place.districts == ()


def test_unknown_and_malformed_pin_codes() -> None:
    assert pincodes.lookup("999999") is None
    assert pincodes.lookup("12345") is None
    assert pincodes.lookup("२२६००१") is None
