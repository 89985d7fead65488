"""Every refusal of the partner API as one JSON shape: `{"error": {"code", "message", ...}}`.

Why a middleware of its own (and not only the app's `errors_as_json`): a partner's developer
fixing a request needs more than a code. A field error names its `field`, an invalid FHIR
document lists its failing `paths`, a rate limit says when to come back; the app-wide
middleware keeps only code and message. Nothing a caller sends may end as a 500: domain errors
carry their own status (`ArogyaError.http_status`), the protocol refusals below theirs, and
routing refusals (404, 405) are reshaped here too.

Messages come from the gettext catalogs (`error.<code>`, in the caller's `Accept-Language`);
a code without one is answered with the code itself (tests/test_catalogs.py keeps the codes
this layer raises in both catalogs).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from core.errors import ArogyaError
from locales import has_message, normalise_language, translate

log = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

#: The realm named in `WWW-Authenticate` on every 401.
REALM = "arogya-partner-api"


class BadRequest(ArogyaError):
    http_status = 400


class PayloadTooLarge(ArogyaError):
    http_status = 413


class UnsupportedMediaType(ArogyaError):
    http_status = 415


class TooManyRequests(ArogyaError):
    """429 with `retry_after` seconds (also sent as the Retry-After header)."""

    http_status = 429


def language_of(accept_language: str) -> str:
    """The first language of an Accept-Language header if we have its catalog, else English."""
    first = accept_language.split(",", 1)[0].split(";", 1)[0].strip()
    return normalise_language(first or None)


def message_for(code: str, params: dict[str, Any], lang: str) -> str:
    key = f"error.{code}"
    try:
        if has_message(key, lang):
            return translate(key, lang, **params)
    except (KeyError, IndexError, ValueError):  # a template and its params disagree
        log.warning("message %s does not fit params %s", key, sorted(params))
    return code


def _scalar(value: object) -> str | int:
    return value if isinstance(value, int) and not isinstance(value, bool) else str(value)


def error_body(code: str, params: dict[str, Any], lang: str) -> dict[str, Any]:
    """The `error` object: code, message, then `field`, `paths` and other `details`."""
    error: dict[str, Any] = {"code": code, "message": message_for(code, params, lang)}
    if isinstance(params.get("field"), str):
        error["field"] = params["field"]
    paths = params.get("paths")
    if isinstance(paths, list | tuple):
        error["paths"] = [str(path) for path in paths]
    # `where` is the paths joined for the message: the list above already says it
    details = {
        name: _scalar(value)
        for name, value in params.items()
        if name not in {"field", "paths", "where"}
    }
    if details:
        error["details"] = details
    return {"error": error}


def error_response(
    status: int, code: str, lang: str, params: dict[str, Any] | None = None
) -> web.Response:
    response = web.json_response(error_body(code, params or {}, lang), status=status)
    if status == 401:
        response.headers["WWW-Authenticate"] = f'Bearer realm="{REALM}"'
    if status == 429 and "retry_after" in (params or {}):
        response.headers["Retry-After"] = str((params or {})["retry_after"])
    return response


@web.middleware
async def errors_to_json(request: web.Request, handler: Handler) -> web.StreamResponse:
    lang = language_of(request.headers.get("Accept-Language", ""))
    try:
        return await handler(request)
    except ArogyaError as exc:
        return error_response(exc.http_status, exc.code, lang, exc.params)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        response = error_response(exc.status, f"http.{exc.status}", lang)
        if "Allow" in exc.headers:
            response.headers["Allow"] = exc.headers["Allow"]
        return response
    except Exception:
        log.exception("unhandled error on %s %s", request.method, request.path)
        return error_response(500, "server.error", lang)
