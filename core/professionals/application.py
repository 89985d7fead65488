"""What a doctor submits to register, and the rules each field must pass.

Why here and not in each channel: the Telegram flow, the partner API and a test all submit the
same `Application`, and `clean` is the one gate every one of them passes through. A refusal is
`InvalidInput("hpr.invalid", field=...)` (or `hpr.council_unknown`), so a channel can point at
the field; nothing is written before every field has passed.

Free text (a college's name) may hold any printable character, including `<` and `&`: the
renderers escape it (Jinja autoescape, Telegram HTML escaping). A person's name is held to
letters, marks, spaces and `.'-`, which is also what keeps markup out of every SMS and menu.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from core.errors import InvalidInput
from core.healthid import mobile as mobiles
from core.professionals.councils import parse_council
from core.professionals.identifiers import parse_handle
from core.professionals.masters import parse_specialisation, parse_system

EARLIEST_YEAR = 1900
MAX_QUALIFICATIONS = 10
MAX_PLACES = 10
MAX_EXPERIENCE = 70
NOTIFY_CHANNELS = frozenset({"sms", "telegram"})
#: Zero-width (non-)joiners shape Devanagari conjuncts (`क्‍ष`): format characters to keep.
_JOINERS = frozenset({"\u200c", "\u200d"})
_NAME_PUNCTUATION = frozenset(" .'-")
_SPACES = re.compile(r"\s+")
_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]{1,64}@[A-Za-z0-9\-]{1,63}(\.[A-Za-z0-9\-]{1,63})+")
_REGISTRATION = re.compile(r"[A-Z0-9][A-Z0-9/.\-]{0,31}")
_FACILITY = re.compile(r"IN[0-9]{10}")
#: The notifier's own rule for a Telegram chat id (core.notify.service.CHAT_ID).
_TELEGRAM_CHAT = re.compile(r"-?[1-9][0-9]{0,15}")


@dataclass(frozen=True, slots=True)
class Qualification:
    degree: str
    institution: str
    university: str
    year: int


@dataclass(frozen=True, slots=True)
class Application:
    """A registration as submitted; `clean` returns the normalised copy that is stored.

    `notify_channel`/`notify_address` say where the council's decision is sent: `sms` to the
    mobile by default, or `telegram` with the chat id the doctor registered from.
    """

    name: str
    mobile: str
    council: str
    registration_number: str
    registration_year: int
    qualifications: tuple[Qualification, ...]
    specialisation: str
    years_of_experience: int
    system_of_medicine: str = "modern"
    email: str | None = None
    facility_ids: tuple[str, ...] = ()
    language: str = "en"
    handle: str | None = None
    notify_channel: str = "sms"
    notify_address: str | None = None


def _refuse(field: str) -> InvalidInput:
    return InvalidInput("hpr.invalid", field=field)


def clean_text(value: str, field: str, *, max_length: int, min_length: int = 1) -> str:
    """NFC, whitespace collapsed, no control or unassigned characters, length in bounds."""
    text = _SPACES.sub(" ", unicodedata.normalize("NFC", value)).strip()
    for char in text:
        if unicodedata.category(char)[0] == "C" and char not in _JOINERS:
            raise _refuse(field)
    if not min_length <= len(text) <= max_length:
        raise _refuse(field)
    return text


def clean_name(value: str) -> str:
    name = clean_text(value, "name", max_length=100, min_length=2)
    for char in name:
        if not (
            unicodedata.category(char)[0] in "LM" or char in _NAME_PUNCTUATION or char in _JOINERS
        ):
            raise _refuse("name")
    if not any(unicodedata.category(char)[0] == "L" for char in name):
        raise _refuse("name")
    return name


def clean_registration_number(value: str) -> str:
    """`mmc / 2012 / 1234` -> `MMC/2012/1234`: spacing and case never make a new number."""
    number = "".join(value.split()).upper()
    if not _REGISTRATION.fullmatch(number) or not any(c.isdigit() for c in number):
        raise _refuse("registration_number")
    return number


def clean_email(value: str) -> str:
    email = value.strip()
    if len(email) > 254 or not _EMAIL.fullmatch(email):
        raise _refuse("email")
    local, _, domain = email.rpartition("@")
    return f"{local}@{domain.lower()}"


def clean_facility_id(value: str) -> str:
    facility_id = value.strip().upper()
    if not _FACILITY.fullmatch(facility_id):
        raise _refuse("facility_ids")
    return facility_id


def clean_year(value: int, field: str, today: date) -> int:
    if isinstance(value, bool) or not EARLIEST_YEAR <= value <= today.year:
        raise _refuse(field)
    return value


def clean_reason(value: str) -> str:
    """A rejection reason: free text the doctor will read, long enough to say something."""
    return clean_text(value, "reason", max_length=500, min_length=3)


def clean(application: Application, today: date) -> Application:
    """The normalised application, or the first field that fails."""
    qualifications = tuple(
        Qualification(
            degree=clean_text(q.degree, "qualifications", max_length=80),
            institution=clean_text(q.institution, "qualifications", max_length=120),
            university=clean_text(q.university, "qualifications", max_length=120),
            year=clean_year(q.year, "qualifications", today),
        )
        for q in application.qualifications
    )
    if not 1 <= len(qualifications) <= MAX_QUALIFICATIONS:
        raise _refuse("qualifications")
    facility_ids = tuple(dict.fromkeys(clean_facility_id(f) for f in application.facility_ids))
    if len(facility_ids) > MAX_PLACES:
        raise _refuse("facility_ids")
    experience = application.years_of_experience
    if isinstance(experience, bool) or not 0 <= experience <= MAX_EXPERIENCE:
        raise _refuse("years_of_experience")
    mobile = mobiles.parse(application.mobile)
    channel = application.notify_channel
    if channel not in NOTIFY_CHANNELS:
        raise _refuse("notify_channel")
    notify_address = application.notify_address
    if channel == "sms":
        notify_address = mobiles.parse(notify_address) if notify_address else mobile
    elif notify_address is None or not _TELEGRAM_CHAT.fullmatch(notify_address):
        raise _refuse("notify_address")
    if application.language not in ("en", "hi"):
        raise _refuse("language")
    return replace(
        application,
        name=clean_name(application.name),
        mobile=mobile,
        council=parse_council(application.council),
        registration_number=clean_registration_number(application.registration_number),
        registration_year=clean_year(application.registration_year, "registration_year", today),
        qualifications=qualifications,
        specialisation=parse_specialisation(application.specialisation),
        system_of_medicine=parse_system(application.system_of_medicine),
        email=clean_email(application.email) if application.email else None,
        facility_ids=facility_ids,
        handle=parse_handle(application.handle) if application.handle else None,
        notify_address=notify_address,
    )


def _str(data: Mapping[str, Any], field: str, *, optional: bool = False) -> str | None:
    value = data.get(field)
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise _refuse(field)
    return value


def _int(data: Mapping[str, Any], field: str) -> int:
    value = data.get(field)
    if isinstance(value, bool) or not isinstance(value, int):
        raise _refuse(field)
    return value


def _list(data: Mapping[str, Any], field: str) -> Sequence[Any]:
    value = data.get(field, [])
    if not isinstance(value, list):
        raise _refuse(field)
    return value


def application_from_json(data: Mapping[str, Any]) -> Application:
    """An `Application` from a JSON object (the partner API's body); types checked here.

    Field names are the dataclass's; `qualifications` is a list of objects with `degree`,
    `institution`, `university` and `year`; `facility_ids` a list of HFR ids. The values are
    checked further by `clean` when the application is registered.
    """
    qualifications: list[Qualification] = []
    for item in _list(data, "qualifications"):
        if not isinstance(item, Mapping):
            raise _refuse("qualifications")
        try:
            qualifications.append(
                Qualification(
                    degree=str(_str(item, "degree")),
                    institution=str(_str(item, "institution")),
                    university=str(_str(item, "university")),
                    year=_int(item, "year"),
                )
            )
        except InvalidInput as exc:
            raise _refuse("qualifications") from exc
    facility_ids = _list(data, "facility_ids")
    if not all(isinstance(item, str) for item in facility_ids):
        raise _refuse("facility_ids")
    return Application(
        name=str(_str(data, "name")),
        mobile=str(_str(data, "mobile")),
        council=str(_str(data, "council")),
        registration_number=str(_str(data, "registration_number")),
        registration_year=_int(data, "registration_year"),
        qualifications=tuple(qualifications),
        specialisation=str(_str(data, "specialisation")),
        years_of_experience=_int(data, "years_of_experience"),
        system_of_medicine=_str(data, "system_of_medicine", optional=True) or "modern",
        email=_str(data, "email", optional=True),
        facility_ids=tuple(facility_ids),
        language=_str(data, "language", optional=True) or "en",
        handle=_str(data, "handle", optional=True),
        notify_channel=_str(data, "notify_channel", optional=True) or "sms",
        notify_address=_str(data, "notify_address", optional=True),
    )
