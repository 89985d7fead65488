"""Sessions, CSRF and response headers for an officer console.

- The session cookie carries a random token (HttpOnly, SameSite=Lax, Secure over https, scoped
  to the console's path); the session itself lives in the database with its expiry (the
  console's `Accounts`). A request with a dead session is sent to sign-in before any handler
  runs, so an expired session can change nothing.
- Every POST must echo a CSRF token: the session's own once signed in; before sign-in (the
  sign-in and language forms), an HMAC of a random nonce kept in a cookie, so a forged
  cross-site sign-in ("login CSRF") fails too. A POST whose Origin names another host is refused
  as well, as a second line.
- Every response forbids framing, inline script and foreign resources (Content-Security-Policy),
  and signed-in pages are never cached.

Why one `session_middleware(console)` for every console: the rules above are the consoles' common
ground; what is a console's own (its cookie names, where its sessions and officers live, which
type its session has) is the `Console` it passes.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar
from urllib.parse import urlsplit

from aiohttp import web
from aiohttp.typedefs import Middleware

from locales import normalise_language
from webhooks.console.keys import CONFIG, PRE_NONCE, TOKEN, Handler

#: Routes a person may reach without a session.
ASSET_ROUTES = frozenset({"static", "fonts"})
PUBLIC_ROUTES = frozenset({"sign_in", "sign_in_form", "language"}) | ASSET_ROUTES
CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; font-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)


class CsrfRefused(Exception):
    """A POST without the right token: nothing is done, an error page is shown."""


class Session(Protocol):
    """What the shared code needs of a console's signed-in session."""

    @property
    def csrf_token(self) -> str: ...

    @property
    def language(self) -> str: ...


S = TypeVar("S", bound=Session)
S_co = TypeVar("S_co", bound=Session, covariant=True)


class Accounts(Protocol[S_co]):
    """A console's officers and their sessions, as its sign-in views and middleware use them."""

    async def sign_in(
        self, username: str, password: str | None, *, source: str, language: str
    ) -> str:
        """A new session's cookie token. Errors: `Forbidden`, `Locked` (`officer.*`).

        `password` is None when the typed one was longer than any password may be: it is never
        hashed. `source` is the client's address."""
        ...

    async def resolve(self, token: str) -> S_co | None: ...

    async def set_language(self, token: str, language: str) -> None: ...

    async def close(self, token: str) -> None: ...


@dataclass(frozen=True)
class Console(Generic[S]):
    """What makes one console's sessions its own."""

    session_cookie: str
    pre_cookie: str
    lang_cookie: str
    #: Where a request's signed-in session is kept, typed as the console's own session.
    session_key: web.RequestKey[S | None]
    #: The console's accounts, from its application (where its service is).
    accounts: Callable[[web.Request], Accounts[S]]
    #: The sign-in page's line under its title.
    intro_key: str
    #: Said on the sign-in page after signing out; None: sign-out returns to a plain sign-in.
    signed_out_notice: str | None

    def session(self, request: web.Request) -> S | None:
        return request.get(self.session_key)

    def language(self, request: web.Request) -> str:
        """The session's language once signed in; before that, the language cookie's."""
        session = self.session(request)
        if session is not None:
            return session.language
        return normalise_language(request.cookies.get(self.lang_cookie))

    def csrf_token(self, request: web.Request) -> str:
        """The token this request's forms must carry."""
        session = self.session(request)
        if session is not None:
            return session.csrf_token
        # No nonce yet only when a page is rendered before the middleware ran (an error page).
        return pre_csrf_token(request.config_dict[CONFIG].secret_key, request.get(PRE_NONCE, ""))


def pre_csrf_token(secret: bytes, nonce: str) -> str:
    return hmac.new(secret, f"council.pre|{nonce}".encode(), hashlib.sha256).hexdigest()


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


async def _check_csrf(request: web.Request, expected: str) -> None:
    if not _same_origin(request):
        raise CsrfRefused
    try:
        form = await request.post()
    except (ValueError, UnicodeDecodeError) as exc:  # a malformed multipart or urlencoded body
        raise CsrfRefused from exc
    sent = form.get("csrf_token")
    # compared as bytes: compare_digest raises on non-ASCII text, and a forged token may hold some
    if not isinstance(sent, str) or not hmac.compare_digest(sent.encode(), expected.encode()):
        raise CsrfRefused


def session_middleware(console: Console[S]) -> Middleware:
    """The middleware that finds `console`'s session, keeps dead ones out, checks every POST."""

    @web.middleware
    async def sessions(request: web.Request, handler: Handler) -> web.StreamResponse:
        if _route_name(request) in ASSET_ROUTES:
            return await handler(request)
        config = request.config_dict[CONFIG]
        token = request.cookies.get(console.session_cookie, "")
        session = await console.accounts(request).resolve(token) if token else None
        request[TOKEN] = token
        request[console.session_key] = session
        nonce = request.cookies.get(console.pre_cookie, "")
        fresh_nonce = not (16 <= len(nonce) <= 64)
        request[PRE_NONCE] = secrets.token_urlsafe(32) if fresh_nonce else nonce
        if session is None and _route_name(request) not in PUBLIC_ROUTES:
            refused = see_other(f"{config.prefix}/sign-in" + ("?expired=1" if token else ""))
            if token:
                drop_cookie(request, refused, console.session_cookie)
            return refused
        if request.method == "POST":
            await _check_csrf(request, console.csrf_token(request))
        response = await handler(request)
        if token and session is None:
            drop_cookie(request, response, console.session_cookie)
        if fresh_nonce and session is None:
            set_cookie(request, response, console.pre_cookie, request[PRE_NONCE])
        return response

    return sessions


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
