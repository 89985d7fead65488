"""A HIU's consent request as core receives it, and every check that needs no database.

Why here and not in the partner API: a script, a test or a future gateway adapter asks through
`ConsentService.request` too, and each must meet the same rules with the same error codes. The
API only maps ABDM's JSON onto `ConsentAsk`; refusals name ABDM's own paths in `field`
(`consent.permission.dateRange.from`) so a HIU's developer finds the field at once.

The requester is a doctor registered with a medical council: `identifier.type` is `REGNO`,
`value` the registration number and `system` names the council, either by its code (`MH`,
`IN-MH`) or, for the National Medical Commission, by the NMC or MCI web address ABDM's own
samples use. Whether that doctor is VERIFIED is the service's check (it needs the registry).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from core.consent import terms
from core.errors import InvalidInput
from core.professionals.application import clean_registration_number
from core.professionals.councils import parse_council

REQUEST_REF = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:\-]{0,63}")
NAME_MAX = 100
#: The National Medical Commission (formerly the Medical Council of India) by its web address.
NMC_SYSTEMS = frozenset(
    {
        "https://www.mciindia.org",
        "https://mciindia.org",
        "https://www.nmc.org.in",
        "https://nmc.org.in",
        "http://www.mciindia.org",
        "http://www.nmc.org.in",
    }
)
#: The furthest ahead a HIU may keep data: ABDM apps offer at most a few years.
MAX_KEEP = timedelta(days=10 * 366)
EARLIEST = date(1900, 1, 1)
FREQUENCY_MAX = 1000
MAX_CARE_CONTEXTS = 100


@dataclass(frozen=True, slots=True)
class ConsentAsk:
    """ABDM's `consent-requests/init` body, flattened (values as the HIU sent them)."""

    request_ref: str  # the HIU's requestId
    purpose: str
    patient: str  # an ABHA number or ABHA address
    hiu_id: str
    requester_name: str
    requester_type: str
    requester_number: str
    requester_system: str | None
    hi_types: tuple[str, ...]
    access_mode: str
    date_from: datetime
    date_to: datetime
    erase_at: datetime
    frequency_unit: str
    frequency_value: int
    frequency_repeats: int
    purpose_text: str | None = None
    #: ABDM's optional `hip.id` and `careContexts[].careContextReference`.
    hip_id: str | None = None
    care_contexts: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CheckedAsk:
    """An ask that passed every check, normalised; `digest` identifies its content."""

    request_ref: str
    purpose: str
    purpose_text: str | None
    patient: str
    hiu_id: str
    requester_name: str
    council: str
    registration_number: str
    hi_types: tuple[str, ...]
    access_mode: str
    date_from: date
    date_to: date
    erase_at: datetime
    frequency: dict[str, object]
    digest: str
    #: identifier.system as the HIU wrote it (`https://www.mciindia.org`), echoed in artefacts.
    requester_system: str = ""
    #: {"hip": id, "careContexts": [references]} when the HIU named them, else None.
    reach: dict[str, object] | None = None


def _text(value: object, field: str, max_chars: int) -> str:
    text = " ".join(value.split()) if isinstance(value, str) else ""
    if not 1 <= len(text) <= max_chars:
        raise terms.invalid(field)
    return text


def council_of(system: str | None) -> str:
    field = "consent.requester.identifier.system"
    if not isinstance(system, str) or not system.strip():
        raise terms.invalid(field)
    if system.strip().rstrip("/").lower() in NMC_SYSTEMS:
        return "NMC"
    try:
        return parse_council(system)
    except InvalidInput:
        raise terms.invalid(field) from None


def _registration(ask: ConsentAsk) -> tuple[str, str]:
    if not isinstance(ask.requester_type, str) or ask.requester_type.strip().upper() != "REGNO":
        raise terms.invalid("consent.requester.identifier.type")
    council = council_of(ask.requester_system)
    try:
        return council, clean_registration_number(ask.requester_number)
    except (InvalidInput, AttributeError):
        raise terms.invalid("consent.requester.identifier.value") from None


def _aware(moment: object, field: str) -> datetime:
    if not isinstance(moment, datetime) or moment.tzinfo is None:
        raise terms.invalid(field)
    return moment


def _frequency(ask: ConsentAsk) -> dict[str, object]:
    base = "consent.permission.frequency"
    unit = terms.parse_choice(ask.frequency_unit, terms.FREQUENCY_UNITS, f"{base}.unit")
    value, repeats = ask.frequency_value, ask.frequency_repeats
    if type(value) is not int or not 1 <= value <= FREQUENCY_MAX:
        raise terms.invalid(f"{base}.value")
    if type(repeats) is not int or not 0 <= repeats <= FREQUENCY_MAX:
        raise terms.invalid(f"{base}.repeats")
    return {"unit": unit, "value": value, "repeats": repeats}


def _reach(ask: ConsentAsk) -> dict[str, object] | None:
    """ABDM's optional narrowing of a request to one HIP and some of its care contexts."""
    if ask.hip_id is None and not ask.care_contexts:
        return None
    if ask.care_contexts and ask.hip_id is None:  # a reference means something only at a HIP
        raise terms.invalid("consent.hip.id")
    hip = _text(ask.hip_id, "consent.hip.id", 16).upper()
    if len(ask.care_contexts) > MAX_CARE_CONTEXTS:
        raise terms.invalid("consent.careContexts")
    refs = sorted({_text(ref, "consent.careContexts", 64) for ref in ask.care_contexts})
    return {"hip": hip, "careContexts": refs}


def check_ask(ask: ConsentAsk, now: datetime) -> CheckedAsk:
    """Every rule that needs no database, in the order a reader of the body meets them."""
    ref = ask.request_ref
    if not isinstance(ref, str) or not REQUEST_REF.fullmatch(ref):
        raise terms.invalid("requestId")
    purpose = terms.parse_purpose(ask.purpose)
    purpose_text = (
        _text(ask.purpose_text, "consent.purpose.text", NAME_MAX) if ask.purpose_text else None
    )
    patient = _text(ask.patient, "consent.patient.id", 64)
    hiu_id = _text(ask.hiu_id, "consent.hiu.id", 16).upper()
    name = _text(ask.requester_name, "consent.requester.name", NAME_MAX)
    council, number = _registration(ask)
    hi_types = terms.parse_hi_types(ask.hi_types)
    mode = terms.parse_choice(ask.access_mode, terms.ACCESS_MODES, "consent.permission.accessMode")
    base = "consent.permission"
    start = _aware(ask.date_from, f"{base}.dateRange.from")
    end = _aware(ask.date_to, f"{base}.dateRange.to")
    erase_at = _aware(ask.erase_at, f"{base}.dataEraseAt")
    if start > end:
        raise InvalidInput("consent.date_range_order")
    if terms.ist_day(start) < EARLIEST:
        raise terms.invalid(f"{base}.dateRange.from")
    if erase_at <= now:
        raise InvalidInput("consent.erase_at_past")
    if erase_at > now + MAX_KEEP:
        raise terms.invalid(f"{base}.dataEraseAt")
    if end > erase_at:  # data dated after it must be erased cannot be kept at all
        raise terms.invalid(f"{base}.dateRange.to")
    frequency = _frequency(ask)
    reach = _reach(ask)
    facts = {
        "purpose": purpose,
        "purpose_text": purpose_text,
        "patient": patient.lower(),
        "hiu": hiu_id,
        "requester": [name, council, number],
        "hi_types": sorted(hi_types),
        "mode": mode,
        "from": start.isoformat(),
        "to": end.isoformat(),
        "erase_at": erase_at.isoformat(),
        "frequency": frequency,
        **({"reach": reach} if reach else {}),
    }
    digest = hashlib.sha256(json.dumps(facts, sort_keys=True).encode()).hexdigest()
    return CheckedAsk(
        request_ref=ref,
        purpose=purpose,
        purpose_text=purpose_text,
        patient=patient,
        hiu_id=hiu_id,
        requester_name=name,
        council=council,
        registration_number=number,
        hi_types=hi_types,
        access_mode=mode,
        date_from=terms.ist_day(start),
        date_to=terms.ist_day(end),
        erase_at=erase_at,
        frequency=frequency,
        digest=digest,
        requester_system=_text(ask.requester_system, "consent.requester.identifier.system", 100),
        reach=reach,
    )
