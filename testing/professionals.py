"""A doctor's application and a council officer's password, for the tests and the benchmarks.

The registry wired for its own tests, and the steps they repeat, are in
tests/core/professionals/helpers.py.
"""

from __future__ import annotations

from typing import Any

from core.professionals.application import Application, Qualification

#: Test officers' password (long enough for the 12-character rule).
PASSWORD = "correct horse battery"


def application(**overrides: Any) -> Application:
    """A plausible Maharashtra paediatrician; override any field."""
    values: dict[str, Any] = {
        "name": "Asha Rao",
        "mobile": "98765 43210",
        "council": "MH",
        "registration_number": "2012/03/1234",
        "registration_year": 2012,
        "qualifications": (
            Qualification("MBBS", "Grant Medical College", "University of Mumbai", 2010),
            Qualification("MD (Paediatrics)", "Seth GS Medical College", "MUHS", 2014),
        ),
        "specialisation": "paediatrics",
        "years_of_experience": 11,
        "email": "asha.rao@example.org",
    }
    values.update(overrides)
    return Application(**values)
