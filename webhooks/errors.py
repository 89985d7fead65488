"""One refusal type and one JSON error middleware for every JSON route of the app.

Why one: a gateway, Telegram and a partner's developer all get a refusal in the same shape,
`{"error": {"code", "message", ...}}` (docs/partner-api.md, "Errors"), and nothing anyone sends
may end as a 500. A handler refuses by raising: `HttpError` for a refusal of the HTTP layer
itself (a malformed form, a wrong token, a rate limit), any `ArogyaError` for a domain refusal.
The middleware made by `json_errors` is the one place an exception becomes a JSON answer.

Its two instances differ only in who reads the answer:

- the app's (outermost on every route, `webhooks.app`): code and message, in English. A
  gateway or Telegram switches on the code; nobody reads the message to a person.
- the partner API's (on its sub-app, `detailed=True`): the message in the caller's
  `Accept-Language`, and what a developer fixing a request needs: the `field` at fault, the
  failing `paths`, other facts under `details`, `WWW-Authenticate` on a 401 (`realm`).

Messages come from the gettext catalogs (`error.<code>`). A gateway refusal may carry its own
English text instead (`HttpError.text`: it names the field, and gateways' codes have no catalog
entry); routing refusals without one (`http.413`) keep aiohttp's reason phrase; any other code
without one is answered with the code itself (tests/locales/test_catalogs.py and
tests/webhooks/api keep the codes raised here in both catalogs).
"""

from __future__ import annotations

import json
import logging
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from core.errors import ArogyaError
from locales import DEFAULT_LANGUAGE, has_message, normalise_language, translate

log = logging.getLogger(__name__)


class HttpError(ArogyaError):
    """A request refused by the HTTP layer, with its own status (400, 401, 403, 413, 415, 429,
    503); `params` fill the catalog message and, on the partner API, its `details`."""

    def __init__(self, status: int, code: str, text: str | None = None, **params: Any) -> None:
        super().__init__(code, **params)
        self.http_status = status
        #: The message itself, when it does not come from the catalogs.
        self.text = text


def language_of(accept_language: str) -> str:
    """The first language of an Accept-Language header if we have its catalog, else English."""
    first = accept_language.split(",", 1)[0].split(";", 1)[0].strip()
    return normalise_language(first or None)


def message_for(code: str, params: dict[str, Any], lang: str) -> str:
    """The catalog's `error.<code>` in `lang`; the code itself when there is none (or when the
    template and the params disagree: a refusal must still be answered)."""
    key = f"error.{code}"
    try:
        if has_message(key, lang):
            return translate(key, lang, **params)
    except (KeyError, IndexError, ValueError):
        log.warning("message %s does not fit params %s", key, sorted(params))
    return code


def _scalar(value: object) -> str | int:
    return value if isinstance(value, int) and not isinstance(value, bool) else str(value)


def error_body(
    code: str,
    params: dict[str, Any],
    lang: str,
    *,
    text: str | None = None,
    detailed: bool = True,
) -> dict[str, Any]:
    """The `error` object: code, message, then (when `detailed`) `field`, `paths` and other
    `details`."""
    error: dict[str, Any] = {"code": code, "message": text or message_for(code, params, lang)}
    if not detailed:
        return {"error": error}
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


def json_errors(*, detailed: bool = False, realm: str | None = None) -> Middleware:
    """The JSON error middleware: `detailed` for the partner API (see the module docstring);
    `realm` is named in `WWW-Authenticate` on every 401 when given."""

    def respond(
        status: int, code: str, lang: str, params: dict[str, Any], text: str | None = None
    ) -> web.Response:
        body = error_body(code, params, lang, text=text, detailed=detailed)
        response = web.json_response(body, status=status)
        if status == 401 and realm is not None:
            response.headers["WWW-Authenticate"] = f'Bearer realm="{realm}"'
        if status == 429 and "retry_after" in params:
            response.headers["Retry-After"] = str(params["retry_after"])
        return response

    @web.middleware
    async def errors_to_json(request: web.Request, handler: Handler) -> web.StreamResponse:
        header = request.headers.get("Accept-Language", "")
        lang = language_of(header) if detailed else DEFAULT_LANGUAGE
        try:
            return await handler(request)
        except ArogyaError as exc:
            text = exc.text if isinstance(exc, HttpError) else None
            return respond(exc.http_status, exc.code, lang, exc.params, text)
        except web.HTTPException as exc:
            if exc.status < 400 or exc.content_type == "application/json":
                raise  # a redirect, or a refusal that is already JSON
            code = f"http.{exc.status}"
            reason = None if has_message(f"error.{code}", lang) else exc.reason
            response = respond(exc.status, code, lang, {}, reason)
            if "Allow" in exc.headers:
                response.headers["Allow"] = exc.headers["Allow"]
            return response
        except json.JSONDecodeError:  # a handler read a body that is not JSON
            return respond(400, "request.malformed_json", lang, {})
        except Exception:
            log.exception("unhandled error on %s %s", request.method, request.path)
            return respond(500, "server.error", lang, {})

    return errors_to_json
