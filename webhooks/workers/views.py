"""The worker console's pages: sign-in, the queue of one facility's or district's workers,
and the three decisions (verify, reject, withdraw).

Every handler acts for the signed-in officer's place only: a worker of another place is "not
found" (`WorkerService.get_for`), whatever id is posted.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiohttp import web

from core.errors import Forbidden, InvalidInput, Locked
from core.workers.models import WorkerStatus
from core.workers.officers import WorkerConsoleSession
from locales import LANGUAGES
from webhooks.council.keys import CONFIG
from webhooks.council.security import drop_cookie, see_other, set_cookie
from webhooks.workers.keys import SESSION, TOKEN, WORKERS
from webhooks.workers.pages import language, place_name, render
from webhooks.workers.security import LANG_COOKIE, PRE_COOKIE, SESSION_COOKIE

PASSWORD_MAX = 128
#: What `?done=` may announce (never free text from the URL).
NOTICES = {
    "verify": "workers.console.done.verify",
    "reject": "workers.console.done.reject",
    "withdraw": "workers.console.done.withdraw",
}


def _field(form: Mapping[str, Any], name: str, limit: int = 1000) -> str:
    value = form.get(name)
    return value[:limit] if isinstance(value, str) else ""


def _session(request: web.Request) -> WorkerConsoleSession:
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
    notice = "council.sign_in.expired" if "expired" in request.query else None
    return render(request, "sign_in.html", notice=notice, error=None, username="")


async def sign_in(request: web.Request) -> web.Response:
    form = await request.post()
    username = _field(form, "username", 64)
    password = _field(form, "password", PASSWORD_MAX + 1)
    officers = request.config_dict[WORKERS].officers
    try:
        if len(password) > PASSWORD_MAX:
            raise Forbidden("officer.bad_credentials")
        officer = await officers.authenticate(username, password)
    except (Forbidden, Locked) as exc:
        status = 429 if isinstance(exc, Locked) else 401
        error = (f"error.{exc.code}", exc.params)
        return render(
            request, "sign_in.html", status=status, notice=None, error=error, username=username
        )
    token, _ = await officers.open_session(officer, language(request))
    response = see_other(_url(request, "/queue"))
    set_cookie(request, response, SESSION_COOKIE, token)
    drop_cookie(request, response, PRE_COOKIE)
    return response


async def sign_out(request: web.Request) -> web.Response:
    await request.config_dict[WORKERS].officers.close_session(request[TOKEN])
    response = see_other(_url(request, "/sign-in"))
    drop_cookie(request, response, SESSION_COOKIE)
    return response


async def choose_language(request: web.Request) -> web.Response:
    form = await request.post()
    lang = _field(form, "lang", 8)
    if lang not in LANGUAGES:
        lang = language(request)
    if request[SESSION] is not None:
        await request.config_dict[WORKERS].officers.set_language(request[TOKEN], lang)
    back = _field(form, "next", 300)
    prefix = request.config_dict[CONFIG].prefix
    safe = back.startswith(prefix + "/") and "//" not in back and "\\" not in back
    response = see_other(back if safe else _url(request, "/"))
    set_cookie(request, response, LANG_COOKIE, lang)
    return response


async def queue(
    request: web.Request, *, error: str | None = None, status: int = 200
) -> web.Response:
    officer = _session(request).officer
    workers = request.config_dict[WORKERS]
    pending = await workers.listed_for(officer, WorkerStatus.PENDING)
    verified = await workers.listed_for(officer, WorkerStatus.VERIFIED)
    lang = language(request)
    return render(
        request,
        "queue.html",
        status=status,
        pending=pending,
        verified=verified,
        where=lambda w: place_name(w.facility_id, w.district_lgd, lang),
        notice=NOTICES.get(request.query.get("done", "")),
        error=error,
    )


async def decide(request: web.Request) -> web.Response:
    officer = _session(request).officer
    workers = request.config_dict[WORKERS]
    worker_id = request.match_info["worker_id"]
    decision = request.match_info["decision"]
    channel = request.config_dict[CONFIG].audit_channel
    try:
        if decision == "verify":
            await workers.verify(worker_id, officer, channel=channel)
        else:
            reason = _field(await request.post(), "reason", 2000)
            action = workers.reject if decision == "reject" else workers.withdraw
            await action(worker_id, officer, reason, channel=channel)
    except InvalidInput as exc:
        if exc.params.get("field") != "reason":
            raise
        return await queue(request, error="error.worker.reason_needed", status=422)
    return see_other(_url(request, f"/queue?done={decision}"))
