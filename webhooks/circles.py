"""Which telecom circle a USSD gateway's `networkCode` (MCC + MNC) belongs to, and its language.

Why: a first-time caller has no stored language, but the gateway tells us the network that
carried the dial, and an Indian mobile network code belongs to one licence area ("circle"). A
caller on a Delhi, Uttar Pradesh, Bihar, Madhya Pradesh, Rajasthan, Haryana or Himachal network
most likely reads Hindi, so the first page is Hindi there; anywhere else English (the person
switches with one key, and a stored choice wins on every later dial).

Source: the ITU-T E.212 assignments for India (MCC 404/405) as published by the operators
(Airtel, Vodafone Idea, BSNL/MTNL, Jio). Only the codes in use for GSM/LTE are listed; a code
not listed has no circle (the default language applies).
"""

from __future__ import annotations

#: The circles where Hindi is the first language of most subscribers.
HINDI_CIRCLES = frozenset({"DL", "UE", "UW", "BR", "MP", "RJ", "HR", "HP"})

#: circle -> MNCs under MCC 404 and 405 (three digits for 405-7xx/8xx).
_CIRCLES: dict[str, tuple[str, ...]] = {
    "DL": ("40410", "40411", "40404", "40468", "405872"),
    "UE": ("40415", "40455", "40489", "40554", "405871"),
    "UW": ("40497", "40454", "40456", "40566", "405870"),
    "BR": ("40552", "40575", "40570", "405856"),
    "MP": ("40493", "40458", "40478", "405863"),
    "RJ": ("40470", "40460", "40459", "40487", "405868"),
    "HR": ("40496", "40401", "40412", "40434", "405858"),
    "HP": ("40403", "40482", "40451", "405859"),
    "PB": ("40402", "40414", "40488", "40453", "405867"),
    "JK": ("40555", "40462", "405860"),
    "GJ": ("40498", "40405", "40424", "40457", "405857"),
    "MH": ("40490", "40422", "40427", "40466", "405864"),
    "MU": ("40492", "40420", "40469", "405874"),
    "KA": ("40445", "40486", "40444", "40471", "405861"),
    "KL": ("40495", "40446", "40419", "40472", "405862"),
    "TN": ("40494", "40443", "40480", "40440", "40484", "40464", "405869"),
    "AP": ("40449", "40413", "40407", "40473", "405854"),
    "KO": ("40431", "40430", "40481", "405873"),
    "WB": ("40551", "40567", "40474", "405840"),
    "OR": ("40553", "40576", "405866"),
    "AS": ("40556", "40438", "405855"),
    "NE": ("40416", "40477", "405865"),
}
CIRCLE_OF: dict[str, str] = {code: circle for circle, codes in _CIRCLES.items() for code in codes}


def circle(network_code: str | None) -> str | None:
    """The circle of an MCC+MNC such as "40410" (Airtel Delhi), or None when unknown."""
    code = (network_code or "").strip().replace("-", "")
    return CIRCLE_OF.get(code)


def language_of_network(network_code: str | None) -> str | None:
    """ "hi" for a Hindi-speaking circle, "en" for another Indian circle, None when unknown."""
    found = circle(network_code)
    if found is None:
        return None
    return "hi" if found in HINDI_CIRCLES else "en"
