"""Reading a request body safely: its content type, its size, then its JSON shape.

Why stream with a limit: the app's `client_max_size` is one number for every route (1 MiB),
while a FHIR document may be larger (settings.records_max_bundle_bytes) and a registration
should be far smaller. Reading `request.content` chunk by chunk with the route's own cap refuses
an oversized body as soon as it passes the cap (or at once, from Content-Length), without ever
holding more than the cap in memory; aiohttp has already undone any Content-Encoding, so a
compressed bomb is counted by what it inflates to.

Why pydantic in strict mode: a partner's `"state_code": "9"` is a bug in their code; coercing
it would hide the bug until another field breaks. Strict JSON parsing still reads ISO dates.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TypeVar

from aiohttp import web
from pydantic import BaseModel, ValidationError

from core.errors import InvalidInput
from webhooks.errors import HttpError

M = TypeVar("M", bound=BaseModel)

JSON = "application/json"
FHIR_JSON = "application/fhir+json"
CHUNK_BYTES = 64 * 1024
MAX_PATHS = 20


def too_large(limit: int) -> HttpError:
    return HttpError(413, "request.too_large", max_kb=max(1, limit // 1024))


def check_content_type(request: web.Request, accepted: Collection[str]) -> None:
    """415 unless the body is one of `accepted`, in UTF-8 (JSON has no other encoding)."""
    charset = request.charset
    if request.content_type not in accepted or (
        charset is not None and charset.lower() not in {"utf-8", "utf8"}
    ):
        raise HttpError(
            415, "request.unsupported_media_type", accepted=" or ".join(sorted(accepted))
        )


async def read_body(request: web.Request, limit: int) -> bytes:
    """The whole body, or 413 as soon as it is known to exceed `limit` bytes."""
    declared = request.content_length
    if declared is not None and declared > limit:
        raise too_large(limit)
    body = bytearray()
    async for chunk in request.content.iter_chunked(CHUNK_BYTES):
        body += chunk
        if len(body) > limit:
            raise too_large(limit)
    if b"\\u0000" in body:  # a NUL inside a JSON string: PostgreSQL text cannot hold it
        raise InvalidInput("request.nul_character")
    return bytes(body)


def _dotted(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc) or "(body)"


def parse_model(model: type[M], raw: bytes) -> M:
    """`raw` as `model`: 400 when it is not JSON at all, 422 naming every failing path."""
    try:
        return model.model_validate_json(raw, strict=True)
    except ValidationError as exc:
        errors = exc.errors(include_url=False, include_input=False)
        if any(error["type"] == "json_invalid" for error in errors):
            raise HttpError(400, "request.malformed_json") from None
        paths = list(dict.fromkeys(_dotted(error["loc"]) for error in errors))[:MAX_PATHS]
        raise InvalidInput("request.invalid", paths=paths, where=", ".join(paths)) from None


async def json_body(request: web.Request, model: type[M], limit: int) -> M:
    check_content_type(request, (JSON,))
    return parse_model(model, await read_body(request, limit))
