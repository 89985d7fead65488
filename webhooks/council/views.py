"""The console's pages: sign-in, the council's queue, a registration, decisions, history.

Every handler acts for the signed-in officer's council only: the queue and history are that
council's, a registration of another council is "not found" on its page and refused by the
registry if somebody posts a decision on it anyway (`hpr.other_council`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiohttp import web

from core.errors import Forbidden, InvalidInput, Locked
from core.professionals.sessions import ConsoleSession
from locales import LANGUAGES
from webhooks.council.keys import CONFIG, REGISTRY, SESSION, TOKEN
from webhooks.council.pages import language, render
from webhooks.council.security import (
    LANG_COOKIE,
    PRE_COOKIE,
    SESSION_COOKIE,
    drop_cookie,
    see_other,
    set_cookie,
)

PER_PAGE = 20
#: Longer passwords are refused unhashed: nobody's password is, and scrypt's cost grows with it.
PASSWORD_MAX = 128
#: What `?done=` may announce on the queue page (never free text from the URL).
NOTICES = {"verified": "council.done.verified", "rejected": "council.done.rejected"}


def _field(form: Mapping[str, Any], name: str, limit: int = 1000) -> str:
    value = form.get(name)
    return value[:limit] if isinstance(value, str) else ""


def _page(request: web.Request) -> int:
    text = request.query.get("page", "1")
    return int(text) if text.isdigit() and 0 < len(text) < 6 and int(text) > 0 else 1


def _session(request: web.Request) -> ConsoleSession:
    session = request[SESSION]
    assert session is not None  # the sessions middleware admits no one else here
    return session


def _url(request: web.Request, path: str) -> str:
    return request.config_dict[CONFIG].prefix + path


async def index(request: web.Request) -> web.Response:
    return see_other(_url(request, "/queue"))


async def sign_in_form(request: web.Request) -> web.Response:
    if request[SESSION] is not None:
        return see_other(_url(request, "/queue"))
    notice = None
    if "expired" in request.query:
        notice = "council.sign_in.expired"
    elif "signed_out" in request.query:
        notice = "council.signed_out"
    return render(request, "sign_in.html", notice=notice, error=None, username="")


async def sign_in(request: web.Request) -> web.Response:
    form = await request.post()
    username = _field(form, "username", 64)
    password = _field(form, "password", PASSWORD_MAX + 1)
    registry = request.config_dict[REGISTRY]
    try:
        if len(password) > PASSWORD_MAX:  # counted like any wrong password, never hashed
            password = ""
        # The peer's address (aiohttp's `remote`): throttled before the account's own lock.
        officer = await registry.officers.authenticate(
            username, password, source=request.remote or "unknown"
        )
    except (Forbidden, Locked) as exc:
        status = 429 if isinstance(exc, Locked) else 401
        error = (f"error.{exc.code}", exc.params)
        return render(
            request, "sign_in.html", status=status, notice=None, error=error, username=username
        )
    token, _ = await registry.sessions.open(officer, language(request))
    response = see_other(_url(request, "/queue"))
    set_cookie(request, response, SESSION_COOKIE, token)
    drop_cookie(request, response, PRE_COOKIE)
    return response


async def sign_out(request: web.Request) -> web.Response:
    await request.config_dict[REGISTRY].sessions.close(request[TOKEN])
    response = see_other(_url(request, "/sign-in?signed_out=1"))
    drop_cookie(request, response, SESSION_COOKIE)
    return response


async def choose_language(request: web.Request) -> web.Response:
    form = await request.post()
    lang = _field(form, "lang", 8)
    if lang not in LANGUAGES:
        lang = language(request)
    if request[SESSION] is not None:
        await request.config_dict[REGISTRY].sessions.set_language(request[TOKEN], lang)
    back = _field(form, "next", 300)
    prefix = request.config_dict[CONFIG].prefix
    safe = back.startswith(prefix + "/") and "//" not in back and "\\" not in back
    response = see_other(back if safe else _url(request, "/"))
    set_cookie(request, response, LANG_COOKIE, lang)
    return response


async def queue(request: web.Request) -> web.Response:
    session = _session(request)
    page = await request.config_dict[REGISTRY].pending(
        session.officer.council, page=_page(request), per_page=PER_PAGE
    )
    notice = NOTICES.get(request.query.get("done", ""))
    return render(request, "queue.html", page=page, notice=notice)


async def detail(
    request: web.Request, *, error: str | None = None, reason: str = "", status: int = 200
) -> web.Response:
    session = _session(request)
    registry = request.config_dict[REGISTRY]
    doctor = await registry.get_for_council(request.match_info["hpr_id"], session.officer.council)
    places = await registry.places_of(doctor)
    return render(
        request,
        "detail.html",
        status=status,
        doctor=doctor,
        places=places,
        error=error,
        reason=reason,
    )


async def show(request: web.Request) -> web.Response:
    return await detail(request)


async def verify(request: web.Request) -> web.Response:
    session = _session(request)
    await request.config_dict[REGISTRY].verify(
        request.match_info["hpr_id"],
        session.officer,
        channel=request.config_dict[CONFIG].audit_channel,
    )
    return see_other(_url(request, "/queue?done=verified"))


async def reject(request: web.Request) -> web.Response:
    session = _session(request)
    reason = _field(await request.post(), "reason", 2000)
    try:
        await request.config_dict[REGISTRY].reject(
            request.match_info["hpr_id"],
            session.officer,
            reason,
            channel=request.config_dict[CONFIG].audit_channel,
        )
    except InvalidInput as exc:
        if exc.params.get("field") != "reason":
            raise
        return await detail(
            request, error="council.detail.reason_needed", reason=reason, status=422
        )
    return see_other(_url(request, "/queue?done=rejected"))


async def history(request: web.Request) -> web.Response:
    session = _session(request)
    page = await request.config_dict[REGISTRY].history(
        session.officer.council, page=_page(request), per_page=PER_PAGE
    )
    return render(request, "history.html", page=page)
