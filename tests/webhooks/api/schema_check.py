"""A small JSON Schema (2020-12 subset) validator, and the check of an HTTP answer against
the OpenAPI document.

Why not `jsonschema`: it is not in the project's virtualenv. The subset is what pydantic emits
and operations.py writes; any other keyword raises `UnsupportedKeyword`, so a schema can never
pass here by using something this checker ignores.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

ANNOTATIONS = frozenset({"title", "description", "examples", "default", "deprecated"})
TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "null": (type(None),),
}


class UnsupportedKeyword(Exception):
    pass


def _is_type(value: Any, name: str) -> bool:
    if isinstance(value, bool) and name in {"integer", "number"}:
        return False
    return isinstance(value, TYPES[name])


def _format_ok(value: str, fmt: str) -> bool:
    try:
        if fmt == "date":
            date.fromisoformat(value)
        elif fmt == "date-time":
            return "T" in value and datetime.fromisoformat(value).tzinfo is not None
    except ValueError:
        return False
    return True


def resolve(document: dict[str, Any], ref: str) -> dict[str, Any]:
    if not ref.startswith("#/"):
        raise UnsupportedKeyword(f"only local $refs: {ref}")
    node: Any = document
    for part in ref[2:].split("/"):
        node = node[part]
    return node  # type: ignore[no-any-return]


def errors(
    schema: dict[str, Any], value: Any, document: dict[str, Any], at: str = "$"
) -> list[str]:
    """Every way `value` fails `schema` (empty when it is valid)."""
    found: list[str] = []
    for keyword, rule in schema.items():
        if keyword in ANNOTATIONS:
            continue
        found += _keyword(keyword, rule, schema, value, document, at)
    return found


def _keyword(
    keyword: str, rule: Any, schema: dict[str, Any], value: Any, doc: dict[str, Any], at: str
) -> list[str]:
    if keyword == "$ref":
        return errors(resolve(doc, rule), value, doc, at)
    if keyword == "type":
        names = rule if isinstance(rule, list) else [rule]
        ok = any(_is_type(value, name) for name in names)
        return [] if ok else [f"{at}: {value!r} is not {rule}"]
    if keyword == "enum":
        return [] if value in rule else [f"{at}: {value!r} not in {rule}"]
    if keyword == "const":
        return [] if value == rule else [f"{at}: {value!r} is not {rule!r}"]
    if keyword in {"anyOf", "oneOf"}:
        passing = sum(not errors(option, value, doc, at) for option in rule)
        ok = passing >= 1 if keyword == "anyOf" else passing == 1
        return [] if ok else [f"{at}: {passing} of the {keyword} options match"]
    if keyword == "allOf":
        return [message for option in rule for message in errors(option, value, doc, at)]
    if keyword == "format":
        ok = not isinstance(value, str) or _format_ok(value, rule)
        return [] if ok else [f"{at}: {value!r} is not a {rule}"]
    if isinstance(value, dict):
        return _object_keyword(keyword, rule, schema, value, doc, at)
    if isinstance(value, list):
        return _array_keyword(keyword, rule, value, doc, at)
    if isinstance(value, str) and keyword in {"minLength", "maxLength", "pattern"}:
        return _string_keyword(keyword, rule, value, at)
    if isinstance(value, int | float) and keyword in {"minimum", "maximum"}:
        ok = value >= rule if keyword == "minimum" else value <= rule
        return [] if ok else [f"{at}: {value} breaks {keyword} {rule}"]
    if keyword in OBJECT_KEYWORDS | ARRAY_KEYWORDS | STRING_KEYWORDS | {"minimum", "maximum"}:
        return []  # applies to another type than this value's
    raise UnsupportedKeyword(keyword)


OBJECT_KEYWORDS = frozenset({"properties", "required", "additionalProperties"})
ARRAY_KEYWORDS = frozenset({"items", "minItems", "maxItems"})
STRING_KEYWORDS = frozenset({"minLength", "maxLength", "pattern"})


def _object_keyword(
    keyword: str,
    rule: Any,
    schema: dict[str, Any],
    value: dict[str, Any],
    doc: dict[str, Any],
    at: str,
) -> list[str]:
    if keyword == "properties":
        return [
            message
            for name, sub in rule.items()
            if name in value
            for message in errors(sub, value[name], doc, f"{at}.{name}")
        ]
    if keyword == "required":
        return [f"{at}: {name} is required" for name in rule if name not in value]
    if keyword == "additionalProperties":
        extra = [name for name in value if name not in schema.get("properties", {})]
        if rule is False:
            return [f"{at}: {name} is not allowed" for name in extra]
        return [m for name in extra for m in errors(rule, value[name], doc, f"{at}.{name}")]
    if keyword in ARRAY_KEYWORDS | STRING_KEYWORDS | {"minimum", "maximum"}:
        return []
    raise UnsupportedKeyword(keyword)


def _array_keyword(
    keyword: str, rule: Any, value: list[Any], doc: dict[str, Any], at: str
) -> list[str]:
    if keyword == "items":
        return [m for i, item in enumerate(value) for m in errors(rule, item, doc, f"{at}[{i}]")]
    if keyword == "minItems":
        return [] if len(value) >= rule else [f"{at}: fewer than {rule} items"]
    if keyword == "maxItems":
        return [] if len(value) <= rule else [f"{at}: more than {rule} items"]
    if keyword in OBJECT_KEYWORDS | STRING_KEYWORDS | {"minimum", "maximum"}:
        return []
    raise UnsupportedKeyword(keyword)


def _string_keyword(keyword: str, rule: Any, value: str, at: str) -> list[str]:
    if keyword == "minLength":
        return [] if len(value) >= rule else [f"{at}: shorter than {rule}"]
    if keyword == "maxLength":
        return [] if len(value) <= rule else [f"{at}: longer than {rule}"]
    return [] if re.search(rule, value) else [f"{at}: {value!r} does not match {rule}"]


# --- the OpenAPI side ---------------------------------------------------------------------------


def template_of(document: dict[str, Any], path: str) -> str | None:
    """The document's path template a concrete path falls under (`{x}` = one segment)."""
    template: str
    for template in document["paths"]:
        pattern = re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template))
        if re.fullmatch(pattern, path):
            return template
    return None


def response_problems(
    document: dict[str, Any], method: str, path: str, status: int, body: Any
) -> list[str]:
    """Why an answer does not match the document: an undocumented status, or a body its
    schema refuses. Routing refusals (404, 405) off the documented operations must still be
    ErrorResponses."""
    template = template_of(document, path)
    operation = document["paths"].get(template, {}).get(method.lower()) if template else None
    if operation is None:
        if status not in (404, 405):
            return [f"{method} {path} is not documented (answered {status})"]
        schema: dict[str, Any] | None = {"$ref": "#/components/schemas/ErrorResponse"}
    else:
        documented = operation["responses"].get(str(status))
        if documented is None:
            return [f"{method} {template}: status {status} is not documented"]
        content = documented.get("content")
        schema = content["application/json"]["schema"] if content else None
    if schema is None:
        return [] if body is None else [f"{method} {path} {status}: a body where none is"]
    return errors(schema, body, document)
