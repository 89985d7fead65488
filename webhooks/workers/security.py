"""Sessions and CSRF for the worker console, by the council console's rules.

A request with a dead session is sent to sign-in before any handler runs; every POST echoes a
CSRF token (the session's own once signed in, before that an HMAC of a nonce kept in a cookie)
and a POST whose Origin names another host is refused. Cookies, redirects and headers are
`webhooks.council.security`'s.
"""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import urlsplit

from aiohttp import web

from core.workers.officers import WorkerConsoleSession
from webhooks.council.keys import CONFIG, Handler
from webhooks.council.security import (
    CsrfRefused,
    drop_cookie,
    pre_csrf_token,
    see_other,
    set_cookie,
)
from webhooks.workers.keys import PRE_NONCE, SESSION, TOKEN, WORKERS

SESSION_COOKIE = "workers_session"
PRE_COOKIE = "workers_pre"
LANG_COOKIE = "workers_lang"
ASSET_ROUTES = frozenset({"static", "fonts"})
PUBLIC_ROUTES = frozenset({"sign_in", "sign_in_form", "language"}) | ASSET_ROUTES


def csrf_token(request: web.Request) -> str:
    session: WorkerConsoleSession | None = request.get(SESSION)
    if session is not None:
        return session.csrf_token
    return pre_csrf_token(request.config_dict[CONFIG].secret_key, request.get(PRE_NONCE, ""))


def _route_name(request: web.Request) -> str | None:
    route = request.match_info.route
    return None if route is None else route.name


def _same_origin(request: web.Request) -> bool:
    origin = request.headers.get("Origin")
    if origin is None or origin == "null":
        return origin is None
    return urlsplit(origin).netloc == request.host


async def _check_csrf(request: web.Request) -> None:
    if not _same_origin(request):
        raise CsrfRefused
    try:
        form = await request.post()
    except (ValueError, UnicodeDecodeError) as exc:
        raise CsrfRefused from exc
    sent = form.get("csrf_token")
    if not isinstance(sent, str) or not hmac.compare_digest(
        sent.encode(), csrf_token(request).encode()
    ):
        raise CsrfRefused


@web.middleware
async def sessions(request: web.Request, handler: Handler) -> web.StreamResponse:
    if _route_name(request) in ASSET_ROUTES:
        return await handler(request)
    config = request.config_dict[CONFIG]
    token = request.cookies.get(SESSION_COOKIE, "")
    officers = request.config_dict[WORKERS].officers
    session = await officers.resolve(token) if token else None
    request[TOKEN] = token
    request[SESSION] = session
    nonce = request.cookies.get(PRE_COOKIE, "")
    fresh_nonce = not (16 <= len(nonce) <= 64)
    request[PRE_NONCE] = secrets.token_urlsafe(32) if fresh_nonce else nonce
    if session is None and _route_name(request) not in PUBLIC_ROUTES:
        refused = see_other(f"{config.prefix}/sign-in" + ("?expired=1" if token else ""))
        if token:
            drop_cookie(request, refused, SESSION_COOKIE)
        return refused
    if request.method == "POST":
        await _check_csrf(request)
    response = await handler(request)
    if token and session is None:
        drop_cookie(request, response, SESSION_COOKIE)
    if fresh_nonce and session is None:
        set_cookie(request, response, PRE_COOKIE, request[PRE_NONCE])
    return response
