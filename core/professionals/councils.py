"""The master list of medical councils a doctor can be registered with.

Why a fixed list in code: a council is who verifies a doctor, and the console's access rule is
"an officer acts on their own council's queue only", so a council must be a closed set of codes
the registry, the console and the partner API agree on. A typo (`MAH`, `Mh `) must be refused,
never create a council nobody watches.

Codes are the ISO 3166-2:IN subdivision codes without the `IN-` prefix (the 2023 revision:
`CG`, `OD`, `TG`, `UK`), and `NMC` for the National Medical Commission, which keeps the Indian
Medical Register. Display names live in the catalogs (`hpr.council.<CODE>`); the English name
here is the council's own, kept for logs and the admin CLI.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from core.errors import InvalidInput


@dataclass(frozen=True, slots=True)
class Council:
    code: str
    name: str
    #: True for a State Medical Council, False for the National Medical Commission.
    state: bool = True

    @property
    def label_key(self) -> str:
        """The catalog key of the name people read."""
        return f"hpr.council.{self.code}"


COUNCILS: Mapping[str, Council] = {
    c.code: c
    for c in (
        Council("NMC", "National Medical Commission", state=False),
        Council("AP", "Andhra Pradesh Medical Council"),
        Council("AR", "Arunachal Pradesh Medical Council"),
        Council("AS", "Assam Medical Council"),
        Council("BR", "Bihar Council of Medical Registration"),
        Council("CG", "Chhattisgarh Medical Council"),
        Council("DL", "Delhi Medical Council"),
        Council("GA", "Goa Medical Council"),
        Council("GJ", "Gujarat Medical Council"),
        Council("HR", "Haryana Medical Council"),
        Council("HP", "Himachal Pradesh Medical Council"),
        Council("JK", "Jammu & Kashmir Medical Council"),
        Council("JH", "Jharkhand Medical Council"),
        Council("KA", "Karnataka Medical Council"),
        Council("KL", "Travancore-Cochin Medical Council (Kerala)"),
        Council("MP", "Madhya Pradesh Medical Council"),
        Council("MH", "Maharashtra Medical Council"),
        Council("MN", "Manipur Medical Council"),
        Council("ML", "Meghalaya Medical Council"),
        Council("MZ", "Mizoram Medical Council"),
        Council("NL", "Nagaland Medical Council"),
        Council("OD", "Odisha Council of Medical Registration"),
        Council("PB", "Punjab Medical Council"),
        Council("PY", "Puducherry Medical Council"),
        Council("RJ", "Rajasthan Medical Council"),
        Council("SK", "Sikkim Medical Council"),
        Council("TN", "Tamil Nadu Medical Council"),
        Council("TG", "Telangana State Medical Council"),
        Council("TR", "Tripura Medical Council"),
        Council("UP", "Uttar Pradesh Medical Council"),
        Council("UK", "Uttarakhand Medical Council"),
        Council("WB", "West Bengal Medical Council"),
    )
}


def parse_council(text: str) -> str:
    """`mh`, ` MH ` or `IN-MH` -> `MH`; `hpr.council_unknown` for anything not in the list."""
    code = text.strip().upper().removeprefix("IN-")
    if code not in COUNCILS:
        raise InvalidInput("hpr.council_unknown", council=text.strip()[:16])
    return code
