"""Sessions, CSRF and response headers for the council console.

- The session cookie carries a random token (HttpOnly, SameSite=Lax, Secure over https, scoped
  to the console's path); the session itself lives in the database with its expiry
  (`core.professionals.sessions`). A request with a dead session is sent to sign-in before any
  handler runs, so an expired session can change nothing.
- Every POST must echo a CSRF token: the session's own once signed in; before sign-in (the
  sign-in and language forms), an HMAC of a random nonce kept in a cookie, so a forged
  cross-site sign-in ("login CSRF") fails too. A POST whose Origin names another host is refused
  as well, as a second line.
- Every response forbids framing, inline script and foreign resources (Content-Security-Policy),
  and signed-in pages are never cached.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from urllib.parse import urlsplit

from aiohttp import web

from core.professionals.sessions import ConsoleSession
from webhooks.council.keys import CONFIG, PRE_NONCE, REGISTRY, SESSION, TOKEN, Handler

SESSION_COOKIE = "council_session"
PRE_COOKIE = "council_pre"
LANG_COOKIE = "council_lang"
#: Routes a person may reach without a session.
ASSET_ROUTES = frozenset({"static", "fonts"})
PUBLIC_ROUTES = frozenset({"sign_in", "sign_in_form", "language"}) | ASSET_ROUTES
CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; font-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)


class CsrfRefused(Exception):
    """A POST without the right token: nothing is done, an error page is shown."""


def pre_csrf_token(secret: bytes, nonce: str) -> str:
    return hmac.new(secret, f"council.pre|{nonce}".encode(), hashlib.sha256).hexdigest()


def csrf_token(request: web.Request) -> str:
    """The token this request's forms must carry."""
    session: ConsoleSession | None = request.get(SESSION)
    if session is not None:
        return session.csrf_token
    # No nonce yet only when a page is rendered before the middleware ran (an error page).
    return pre_csrf_token(request.config_dict[CONFIG].secret_key, request.get(PRE_NONCE, ""))


def cookie_is_secure(request: web.Request) -> bool:
    return request.config_dict[CONFIG].secure_cookies or request.secure


def set_cookie(request: web.Request, response: web.StreamResponse, name: str, value: str) -> None:
    response.set_cookie(
        name,
        value,
        path=request.config_dict[CONFIG].prefix,
        httponly=True,
        samesite="Lax",
        secure=cookie_is_secure(request),
    )


def drop_cookie(request: web.Request, response: web.StreamResponse, name: str) -> None:
    response.del_cookie(name, path=request.config_dict[CONFIG].prefix)


def see_other(location: str) -> web.Response:
    """A redirect returned (not raised), so it can carry cookies past every middleware."""
    return web.Response(status=303, headers={"Location": location})


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
    except (ValueError, UnicodeDecodeError) as exc:  # a malformed multipart or urlencoded body
        raise CsrfRefused from exc
    sent = form.get("csrf_token")
    # compared as bytes: compare_digest raises on non-ASCII text, and a forged token may hold some
    if not isinstance(sent, str) or not hmac.compare_digest(
        sent.encode(), csrf_token(request).encode()
    ):
        raise CsrfRefused


@web.middleware
async def sessions(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Find the session, keep dead ones out, check CSRF on every POST."""
    if _route_name(request) in ASSET_ROUTES:
        return await handler(request)
    config = request.config_dict[CONFIG]
    token = request.cookies.get(SESSION_COOKIE, "")
    session = await request.config_dict[REGISTRY].sessions.resolve(token) if token else None
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


@web.middleware
async def headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    response = await handler(request)
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if _route_name(request) not in ASSET_ROUTES:
        response.headers.setdefault("Cache-Control", "no-store")
    return response
