"""Hypothesis strategies for requests to every route of the app, and the app they hit.

Why routes from the router and bodies from the OpenAPI document: an endpoint added next month
is fuzzed without anyone remembering to list it, and a JSON body shaped like the schema (right
field names, wrong or edge-case values) reaches the validators behind the wire checks, where a
random blob would stop at the first 400.
"""

from __future__ import annotations

import json
import re
import string
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from aiohttp import web
from hypothesis import strategies as st

#: Text a gateway or a partner might send: edge cases first, then anything.
EDGE_TEXT = st.sampled_from(
    [
        "",
        " ",
        "0",
        "1",
        "98",
        "*",
        "**",
        "1*2",
        "-1",
        "१२३",
        "ABHA",
        "STOP",
        "मदद",
        "\x00",
        "\u202e",
        "😀",
        "a" * 300,
        "9" * 30,
        "null",
        "{}",
        "[]",
        "%s",
        "{name}",
        "../..",
        "' OR 1=1",
    ]
)
TEXT = st.one_of(EDGE_TEXT, st.text(max_size=40), st.text(max_size=2000))
FORM_FIELDS = [
    "sessionId",
    "serviceCode",
    "phoneNumber",
    "networkCode",
    "text",
    "From",
    "To",
    "Body",
    "MessageSid",
    "secret",
]
PHONES = st.one_of(
    st.sampled_from(
        [
            "+919876543210",
            "9876543210",
            "+14155550100",
            "+91",
            "+91987654321099",
            "whatsapp:+919876543210",
        ]
    ),
    TEXT,
)
JSON_LEAF = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(allow_nan=False), TEXT
)
JSON_VALUE = st.recursive(
    JSON_LEAF,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(TEXT, inner, max_size=4)),
    max_leaves=12,
)


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # with {placeholders}


def routes(app: web.Application) -> list[Route]:
    """Every (method, path) the app and its sub-applications answer (a sub-application's
    resources already carry its prefix)."""
    found: list[Route] = []
    for resource in app.router.resources():
        if isinstance(resource, web.PrefixedSubAppResource):
            found += routes(resource._app)
            continue
        for route in resource:
            if route.method != "HEAD":
                found.append(Route(route.method, resource.canonical))
    return found


def schema_value(schema: dict[str, Any], document: dict[str, Any], depth: int = 0) -> Any:
    """A strategy for values shaped like a JSON schema (the OpenAPI subset we write)."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return schema_value(document["components"]["schemas"][name], document, depth + 1)
    for combinator in ("oneOf", "anyOf", "allOf"):
        if combinator in schema:
            return st.one_of(*(schema_value(s, document, depth + 1) for s in schema[combinator]))
    if depth > 6:
        return JSON_LEAF
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), None)
    if "enum" in schema:
        return st.one_of(st.sampled_from(schema["enum"]), TEXT)
    if kind == "object" or "properties" in schema:
        props = schema.get("properties", {})
        fields = {name: schema_value(sub, document, depth + 1) for name, sub in props.items()}
        return st.fixed_dictionaries(
            {}, optional={**fields, "unexpected": JSON_VALUE}
        ) | st.fixed_dictionaries(fields)
    if kind == "array":
        return st.lists(schema_value(schema.get("items", {}), document, depth + 1), max_size=4)
    if kind == "integer":
        return st.one_of(st.integers(-5, 10**6), st.integers(), TEXT)
    if kind == "number":
        return st.one_of(st.floats(allow_nan=False), TEXT)
    if kind == "boolean":
        return st.one_of(st.booleans(), TEXT)
    if kind == "string":
        fmt = schema.get("format")
        if fmt == "date":
            return st.one_of(st.dates().map(str), TEXT)
        if fmt == "date-time":
            return st.one_of(st.datetimes().map(lambda d: d.isoformat() + "Z"), TEXT)
        return st.one_of(TEXT, st.from_regex(r"[A-Za-z0-9 ._@-]{1,20}", fullmatch=True))
    return JSON_VALUE


def body_schema(document: dict[str, Any], route: Route, mount: str) -> dict[str, Any] | None:
    path = route.path.removeprefix(mount)
    operation = document.get("paths", {}).get(path, {}).get(route.method.lower(), {})
    content = operation.get("requestBody", {}).get("content", {})
    schema = content.get("application/json", {}).get("schema")
    return schema if isinstance(schema, dict) else None


@dataclass(frozen=True)
class FuzzRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    content_type: str | None
    route: str = ""


SEGMENT = st.one_of(
    st.sampled_from(["1", "0", "x", "-", "%00", "..", "a" * 200]),
    st.text(string.ascii_letters + string.digits + "-_.~", max_size=30),
)


@st.composite
def requests(
    draw: st.DrawFn,
    route_list: list[Route],
    document: dict[str, Any],
    mount: str,
    credentials: dict[str, dict[str, str]],
) -> FuzzRequest:
    route = draw(st.sampled_from(route_list))
    method = draw(st.one_of(st.just(route.method), st.sampled_from(["GET", "POST", "PUT"])))
    path = re.sub(r"\{[^}]+\}", lambda _: draw(SEGMENT) or "x", route.path)
    if draw(st.booleans()):
        query = draw(
            st.dictionaries(
                st.sampled_from(
                    ["q", "page", "page_size", "type", "district", "secret", "pincode"]
                ),
                TEXT,
                max_size=3,
            )
        )
        path += "?" + urlencode({k: v[:50] for k, v in query.items()}, errors="surrogatepass")
    headers: dict[str, str] = {}
    auth = draw(st.sampled_from(["none", "random", *credentials]))
    if auth in credentials:
        headers.update(credentials[auth])
    elif auth == "random":
        headers["Authorization"] = "Bearer " + draw(st.text(string.printable[:62], max_size=60))
    kind = draw(st.sampled_from(["none", "schema", "json", "form", "bytes"]))
    body: bytes | None = None
    content_type: str | None = None
    if kind == "schema" and (schema := body_schema(document, route, mount)):
        body, content_type = json.dumps(draw(schema_value(schema, document))).encode(), "json"
    elif kind in ("json", "schema"):
        body, content_type = json.dumps(draw(JSON_VALUE)).encode(), "json"
    elif kind == "form":
        fields = draw(
            st.dictionaries(st.sampled_from(FORM_FIELDS), st.one_of(PHONES, TEXT), max_size=6)
        )
        body, content_type = _form(fields), "form"
    elif kind == "bytes":
        body, content_type = (
            draw(st.binary(max_size=3000)),
            draw(
                st.sampled_from(["json", "form", "text/plain", "multipart/form-data; boundary=x"])
            ),
        )
    if content_type is not None:
        headers["Content-Type"] = {
            "json": "application/json",
            "form": "application/x-www-form-urlencoded",
        }.get(content_type, content_type)
    return FuzzRequest(method, path, headers, body, content_type, route.path)


def _form(fields: dict[str, str]) -> bytes:
    return urlencode(fields, encoding="utf-8", errors="surrogatepass").encode()
