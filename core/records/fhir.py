"""Reading a pushed FHIR document: size, JSON, R4 structure, and ABDM's document rules.

Why fhir.resources.R4B: ABDM exchanges FHIR R4, and the package's default import is R5, which
rejects R4 bundles. R4B (4.3) reads R4 document bundles unchanged.

Why errors list paths: a hospital's developer fixing a bundle needs `entry.3.resource.status`,
not "invalid". The paths are pydantic's `loc`s, joined with dots, in `params["paths"]`. They
are what one validation pass finds: a resource with a malformed value is reported for that, and
its missing required elements appear once the value is fixed.

Why a tolerance table: ProjectEKA's reference HIP, which many early ABDM integrations copied,
omits `ImmunizationRecommendation.recommendation.forecastStatus` (1..1 in R4). Refusing those
bundles would refuse records people already have, so that one omission is accepted: the parsed
copy gets FHIR's own "data absent" extension in its place, the stored bytes stay as sent, and
the caller gets a warning naming the path. Anything else missing is refused.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.composition import Composition
from pydantic import ValidationError

from core.errors import InvalidInput
from core.records.errors import TooLarge
from core.records.hitypes import HiType, hi_type_of

DEFAULT_MAX_BUNDLE_BYTES = 5 * 1024 * 1024
MAX_PATHS = 20
DATA_ABSENT = {
    "extension": [
        {
            "url": "http://hl7.org/fhir/StructureDefinition/data-absent-reason",
            "valueCode": "unknown",
        }
    ]
}
#: (resource type, element path without list indexes) a bundle may omit, and what stands in.
TOLERATED_MISSING: dict[tuple[str, tuple[str, ...]], dict[str, Any]] = {
    ("ImmunizationRecommendation", ("recommendation", "forecastStatus")): DATA_ABSENT,
}


@dataclass(frozen=True)
class Document:
    """A validated ABDM document bundle."""

    bundle: Bundle
    composition: Composition
    hi_type: HiType
    #: The Composition's date as the author wrote it (its own UTC offset, usually IST).
    date: date
    #: Paths accepted under the tolerance table.
    warnings: tuple[str, ...] = ()


def calendar_date(value: object) -> date | None:
    """The calendar date of a FHIR date/dateTime as written (its own offset, no conversion to
    UTC: a visit at 00:30 IST is on the IST day). Partial dates (`2019`, `2019-08`) count from
    their first day."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        parts = value.split("-")
        try:
            return date(int(parts[0]), int(parts[1]) if len(parts) > 1 else 1, 1)
        except (ValueError, IndexError):
            return None
    return None


def _dotted(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc)


def _invalid_fhir(paths: list[str]) -> InvalidInput:
    shown = paths[:MAX_PATHS]
    return InvalidInput("records.invalid_fhir", paths=shown, where=", ".join(shown))


def _is_resource_type(kind: object) -> bool:
    if not isinstance(kind, str):
        return False
    try:
        get_fhir_model_class(kind)
    except (KeyError, ValueError):
        return False
    return True


def _unknown_resource_types(node: Any, path: tuple[int | str, ...] = ()) -> list[str]:
    """Paths of `resourceType`s FHIR R4 does not have (fhir.resources raises KeyError on
    them instead of a validation error, so they are found first)."""
    found: list[str] = []
    if isinstance(node, dict):
        if "resourceType" in node and not _is_resource_type(node["resourceType"]):
            found.append(_dotted((*path, "resourceType")))
        for key, value in node.items():
            found.extend(_unknown_resource_types(value, (*path, key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found.extend(_unknown_resource_types(value, (*path, index)))
    return found


def _tolerance(data: dict[str, Any], loc: tuple[int | str, ...]) -> dict[str, Any] | None:
    """The stand-in for a missing element at `loc`, if the tolerance table allows it."""
    if len(loc) < 4 or loc[0] != "entry" or loc[2] != "resource" or not isinstance(loc[1], int):
        return None
    try:
        kind = data["entry"][loc[1]]["resource"]["resourceType"]
    except (KeyError, IndexError, TypeError):
        return None
    element = tuple(str(part) for part in loc[3:] if not isinstance(part, int))
    return TOLERATED_MISSING.get((kind, element))


def _set(data: Any, loc: tuple[int | str, ...], value: Any) -> None:
    for part in loc[:-1]:
        data = data[part]
    data[loc[-1]] = value


def _validate(data: dict[str, Any]) -> tuple[Bundle, tuple[str, ...]]:
    try:
        return Bundle.model_validate(data), ()
    except ValidationError as exc:
        errors = exc.errors()
    patches = [(error["loc"], _tolerance(data, error["loc"])) for error in errors]
    if any(
        error["type"] != "missing" or stand_in is None
        for error, (_, stand_in) in zip(errors, patches, strict=True)
    ):
        raise _invalid_fhir(list(dict.fromkeys(_dotted(error["loc"]) for error in errors)))
    for loc, stand_in in patches:
        _set(data, loc, dict(stand_in or {}))
    try:
        return Bundle.model_validate(data), tuple(_dotted(loc) for loc, _ in patches)
    except ValidationError as exc:  # pragma: no cover - a stand-in that does not validate
        raise _invalid_fhir([_dotted(error["loc"]) for error in exc.errors()]) from exc


def check_size(raw: bytes, max_bytes: int) -> None:
    if len(raw) > max_bytes:
        raise TooLarge("records.too_large", max_kb=max_bytes // 1024, size_kb=len(raw) // 1024)


#: How deep JSON may nest. Real ABDM bundles stay under 15; extensions nested ~120 deep sent the
#: validator into a RecursionError (a 500). Checked without recursion, before any validation.
MAX_DEPTH = 64


def _depth_over(data: object, limit: int) -> bool:
    stack: list[tuple[object, int]] = [(data, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            children: list[object] = list(node.values())
        elif isinstance(node, list):
            children = list(node)
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def parse_document(raw: bytes, *, max_bytes: int = DEFAULT_MAX_BUNDLE_BYTES) -> Document:
    """Validate `raw` as an ABDM document bundle, or raise InvalidInput saying why."""
    check_size(raw, max_bytes)
    try:
        # UTF-8 only, as documented: json.loads(bytes) would also take UTF-16 and UTF-32.
        data = json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError) as exc:  # JSONDecodeError and UnicodeDecodeError
        raise InvalidInput("records.invalid_json") from exc
    if _depth_over(data, MAX_DEPTH):
        raise InvalidInput("records.too_deep", max=MAX_DEPTH)
    if not isinstance(data, dict) or data.get("resourceType") != "Bundle":
        raise InvalidInput("records.not_a_bundle")
    unknown = _unknown_resource_types(data)
    if unknown:
        raise _invalid_fhir(unknown)
    bundle, warnings = _validate(data)
    if bundle.type != "document":
        raise InvalidInput("records.not_a_document", type=str(bundle.type))
    first = bundle.entry[0].resource if bundle.entry else None
    if not isinstance(first, Composition):
        raise InvalidInput("records.no_composition")
    hi_type = hi_type_of(first.type)
    if hi_type is None:
        raise InvalidInput("records.unknown_type")
    written = calendar_date(first.date)
    if written is None:  # pragma: no cover - R4B has already validated Composition.date
        raise _invalid_fhir(["entry.0.resource.date"])
    return Document(bundle, first, hi_type, written, warnings)
