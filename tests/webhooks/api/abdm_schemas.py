"""ABDM's own schemas (tests/fixtures/abdm/schemas/ndhm-hiu.yml), as jsonschema validators.

Why jsonschema and the published file: our pydantic models describe what *we* think ABDM's
shapes are; an HIU built for ABDM reads what ABDM published. The OpenAPI 3.0 schema objects are
JSON Schema enough for a Draft 7 validator (no `nullable` is used in the parts we read); refs
resolve inside the same document. `date-time` is checked as RFC 3339 (a zone is required), and
ABDM's TimestampSchema as its description writes it (milliseconds and `Z`).
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft7Validator, FormatChecker
from referencing import Registry
from referencing.jsonschema import DRAFT7

SPEC = Path(__file__).resolve().parents[2] / "fixtures" / "abdm" / "schemas" / "ndhm-hiu.yml"
URI = "urn:abdm:ndhm-hiu"
#: TimestampSchema: "Date time format in UTC, includes miliseconds YYYY-MM-DDThh:mm:ss.vZ".
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")
RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)")


def rfc3339(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not RFC3339.fullmatch(value):
        raise ValueError(f"not an RFC 3339 date-time: {value!r}")
    datetime.fromisoformat(value.replace("Z", "+00:00"))
    return True


FORMATS = FormatChecker(formats=())
FORMATS.checks("date-time", raises=ValueError)(rfc3339)


@cache
def document() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    return loaded


def validator(pointer: str, *, formats: bool = True) -> Draft7Validator:
    """A validator for the schema at `pointer` inside the document (`#/components/...`)."""
    registry: Registry[Any] = Registry().with_resource(URI, DRAFT7.create_resource(document()))
    return Draft7Validator(
        {"$ref": f"{URI}{pointer}"},
        registry=registry,
        format_checker=FORMATS if formats else None,
    )


def problems(pointer: str, instance: object, *, formats: bool = True) -> list[str]:
    found = validator(pointer, formats=formats).iter_errors(instance)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in found]


def schema(name: str) -> str:
    return f"#/components/schemas/{name}"
