#!/usr/bin/env python3
"""Derive core/facilities/data/pincodes.txt.gz from the `indian-pincode` wheel (run by hand).

    pip download --no-deps indian-pincode==2.1.0 -d /tmp/pin && unzip -d /tmp/pin /tmp/pin/*.whl
    python scripts/pincodes.py /tmp/pin/indian_pincode/data/core-data.json

The wheel embeds India Post's All India Pincode Directory (data.gov.in, GODL-India) with its
district names already spelled as LGD spells them; each (district, state) pair is matched to an
LGD district code of core/facilities/data/lgd_districts.csv by name within its state (three
spellings differ, see ALIASES). A PIN code whose districts have no LGD code keeps its state only.
Output lines: "<difference from the previous PIN code> <codes, comma-separated | s<state code>>".
"""

from __future__ import annotations

import csv
import gzip
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "core" / "facilities" / "data"
sys.path.insert(0, str(ROOT))

from core.facilities.lgd import STATES  # noqa: E402

ALIASES = {
    ("KARNATAKA", "BAGALKOT"): 524,
    ("KARNATAKA", "VIJAYNAGAR"): 738,
    ("PUNJAB", "FIROZEPUR"): 31,
}


def norm(text: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", text.upper())


def main(source: Path) -> None:
    data = json.loads(source.read_text(encoding="utf-8"))
    states = {norm(state.name): state.code for state in STATES}
    rows = csv.reader(line for line in (DATA / "lgd_districts.csv").open() if line[0] != "#")
    codes: dict[tuple[int, str], int] = {(int(s), norm(n)): int(c) for c, s, n in rows}
    pair_code: list[int | None] = []
    for district, state in data["districtPairs"]:
        name, state_name = data["districts"][district], data["states"][state]
        code = codes.get((states[norm(state_name)], norm(name)))
        pair_code.append(code if code is not None else ALIASES.get((state_name, name)))
    lines, previous, pin = [], 0, 0
    for index, delta in enumerate(data["pincodes"]):
        pin += delta
        group = data["pairGroups"][index]
        found = sorted(
            {
                c
                for j in (group if isinstance(group, list) else [group])
                if (c := pair_code[j]) is not None
            }
        )
        if found:
            where = ",".join(map(str, found))
        elif data["stateIdx"][index] != -1:
            where = f"s{states[norm(data['states'][data['stateIdx'][index]])]}"
        else:
            continue
        lines.append(f"{pin - previous} {where}")
        previous = pin
    header = "# India Post PIN code -> LGD district codes (sN: state only); first field: delta\n"
    with gzip.GzipFile(DATA / "pincodes.txt.gz", "wb", mtime=0) as out:
        out.write((header + "\n".join(lines) + "\n").encode())
    print(f"{len(lines)} PIN codes written")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
