"""Master lists a registration picks from: specialisations and systems of medicine.

Why codes, not free text: "find a doctor" filters by specialisation on a USSD menu, which can
only offer a closed list, and `Paediatrics`, `pediatrics` and `बाल रोग` must be one filter.
Labels live in the catalogs (`hpr.specialisation.<code>`, `hpr.system.<code>`), so a channel
shows each in the person's language.
"""

from __future__ import annotations

from core.errors import InvalidInput

#: Broad specialities of modern medicine a citizen would look for, in menu order.
SPECIALISATIONS: tuple[str, ...] = (
    "general_medicine",
    "family_medicine",
    "paediatrics",
    "obstetrics_gynaecology",
    "general_surgery",
    "orthopaedics",
    "ophthalmology",
    "ent",
    "dermatology",
    "psychiatry",
    "cardiology",
    "neurology",
    "nephrology",
    "urology",
    "gastroenterology",
    "pulmonology",
    "endocrinology",
    "oncology",
    "anaesthesiology",
    "radiology",
    "pathology",
    "community_medicine",
)

#: The systems of medicine India registers practitioners in (modern medicine first).
SYSTEMS_OF_MEDICINE: tuple[str, ...] = (
    "modern",
    "ayurveda",
    "homoeopathy",
    "unani",
    "siddha",
    "sowa_rigpa",
)


def specialisation_key(code: str) -> str:
    return f"hpr.specialisation.{code}"


def system_key(code: str) -> str:
    return f"hpr.system.{code}"


def parse_specialisation(text: str) -> str:
    code = text.strip().lower()
    if code not in SPECIALISATIONS:
        raise InvalidInput("hpr.invalid", field="specialisation")
    return code


def parse_system(text: str) -> str:
    code = text.strip().lower()
    if code not in SYSTEMS_OF_MEDICINE:
        raise InvalidInput("hpr.invalid", field="system_of_medicine")
    return code
