"""The council console's own pages: the council's queue, a registration, decisions, history
(signing in and out: `webhooks.console.sign_in`).

Every handler acts for the signed-in officer's council only: the queue and history are that
council's, a registration of another council is "not found" on its page and refused by the
registry if somebody posts a decision on it anyway (`hpr.other_council`).
"""

from __future__ import annotations

from aiohttp import web

from core.errors import InvalidInput
from core.professionals.sessions import ConsoleSession
from webhooks.console.keys import CONFIG
from webhooks.console.security import see_other
from webhooks.console.sign_in import field, url
from webhooks.council.keys import REGISTRY, SESSION
from webhooks.council.pages import render

PER_PAGE = 20
#: What `?done=` may announce on the queue page (never free text from the URL).
NOTICES = {"verified": "council.done.verified", "rejected": "council.done.rejected"}


def _page(request: web.Request) -> int:
    text = request.query.get("page", "1")
    return int(text) if text.isdigit() and 0 < len(text) < 6 and int(text) > 0 else 1


def _session(request: web.Request) -> ConsoleSession:
    session = request[SESSION]
    assert session is not None  # the sessions middleware admits no one else here
    return session


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
    return see_other(url(request, "/queue?done=verified"))


async def reject(request: web.Request) -> web.Response:
    session = _session(request)
    reason = field(await request.post(), "reason", 2000)
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
    return see_other(url(request, "/queue?done=rejected"))


async def history(request: web.Request) -> web.Response:
    session = _session(request)
    page = await request.config_dict[REGISTRY].history(
        session.officer.council, page=_page(request), per_page=PER_PAGE
    )
    return render(request, "history.html", page=page)
