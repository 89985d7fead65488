"""Signing in and out of an officer console, and choosing its language: the same five routes
for every console, made for one by `SignInViews(console, render).add_routes(router)`.

The rest of a console's pages act for the signed-in officer; these are what reaches them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Generic

from aiohttp import web

from core.errors import Forbidden, Locked
from locales import LANGUAGES
from webhooks.console.keys import CONFIG, TOKEN
from webhooks.console.pages import Render
from webhooks.console.security import Console, S, drop_cookie, see_other, set_cookie

#: Longer passwords are refused unhashed: nobody's password is, and scrypt's cost grows with it.
PASSWORD_MAX = 128


def field(form: Mapping[str, Any], name: str, limit: int = 1000) -> str:
    """A form's text field, cut to `limit`; "" when it is missing or a file."""
    value = form.get(name)
    return value[:limit] if isinstance(value, str) else ""


def url(request: web.Request, path: str) -> str:
    """`path` within the console."""
    return request.config_dict[CONFIG].prefix + path


class SignInViews(Generic[S]):
    def __init__(self, console: Console[S], render: Render) -> None:
        self._console = console
        self._render = render

    def add_routes(self, router: web.UrlDispatcher) -> None:
        router.add_get("/", self.index, name="index")
        router.add_get("/sign-in", self.sign_in_form, name="sign_in_form")
        router.add_post("/sign-in", self.sign_in, name="sign_in")
        router.add_post("/sign-out", self.sign_out, name="sign_out")
        router.add_post("/language", self.choose_language, name="language")

    async def index(self, request: web.Request) -> web.Response:
        return see_other(url(request, "/queue"))

    async def sign_in_form(self, request: web.Request) -> web.Response:
        if self._console.session(request) is not None:
            return see_other(url(request, "/queue"))
        notice = None
        if "expired" in request.query:
            notice = "council.sign_in.expired"
        elif "signed_out" in request.query:
            notice = self._console.signed_out_notice
        return self._form(request, notice=notice, error=None, username="")

    async def sign_in(self, request: web.Request) -> web.Response:
        console = self._console
        form = await request.post()
        username = field(form, "username", 64)
        password = field(form, "password", PASSWORD_MAX + 1)
        try:
            # The peer's address (aiohttp's `remote`): throttled before the account's own lock.
            token = await console.accounts(request).sign_in(
                username,
                None if len(password) > PASSWORD_MAX else password,
                source=request.remote or "unknown",
                language=console.language(request),
            )
        except (Forbidden, Locked) as exc:
            status = 429 if isinstance(exc, Locked) else 401
            error = (f"error.{exc.code}", exc.params)
            return self._form(request, status=status, notice=None, error=error, username=username)
        response = see_other(url(request, "/queue"))
        set_cookie(request, response, console.session_cookie, token)
        drop_cookie(request, response, console.pre_cookie)
        return response

    async def sign_out(self, request: web.Request) -> web.Response:
        console = self._console
        await console.accounts(request).close(request[TOKEN])
        notice = "?signed_out=1" if console.signed_out_notice else ""
        response = see_other(url(request, "/sign-in" + notice))
        drop_cookie(request, response, console.session_cookie)
        return response

    async def choose_language(self, request: web.Request) -> web.Response:
        console = self._console
        form = await request.post()
        lang = field(form, "lang", 8)
        if lang not in LANGUAGES:
            lang = console.language(request)
        if console.session(request) is not None:
            await console.accounts(request).set_language(request[TOKEN], lang)
        back = field(form, "next", 300)
        prefix = request.config_dict[CONFIG].prefix
        safe = back.startswith(prefix + "/") and "//" not in back and "\\" not in back
        response = see_other(back if safe else url(request, "/"))
        set_cookie(request, response, console.lang_cookie, lang)
        return response

    def _form(self, request: web.Request, *, status: int = 200, **context: Any) -> web.Response:
        intro = self._console.intro_key
        return self._render(request, "sign_in.html", status=status, intro_key=intro, **context)
