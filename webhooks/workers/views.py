"""The worker console's own pages: the queue of one facility's or district's workers, and the
three decisions (verify, reject, withdraw); signing in and out: `webhooks.console.sign_in`.

Every handler acts for the signed-in officer's place only: a worker of another place is "not
found" (`WorkerService.get_for`), whatever id is posted.
"""

from __future__ import annotations

from aiohttp import web

from core.errors import InvalidInput
from core.workers.models import WorkerStatus
from core.workers.officers import WorkerConsoleSession
from webhooks.console.keys import CONFIG
from webhooks.console.security import see_other
from webhooks.console.sign_in import field, url
from webhooks.workers.keys import SESSION, WORKERS
from webhooks.workers.pages import place_name, render
from webhooks.workers.security import CONSOLE

#: What `?done=` may announce (never free text from the URL).
NOTICES = {
    "verify": "workers.console.done.verify",
    "reject": "workers.console.done.reject",
    "withdraw": "workers.console.done.withdraw",
}


def _session(request: web.Request) -> WorkerConsoleSession:
    session = request[SESSION]
    assert session is not None  # the sessions middleware admits no one else here
    return session


async def queue(
    request: web.Request, *, error: str | None = None, status: int = 200
) -> web.Response:
    officer = _session(request).officer
    workers = request.config_dict[WORKERS]
    pending = await workers.listed_for(officer, WorkerStatus.PENDING)
    verified = await workers.listed_for(officer, WorkerStatus.VERIFIED)
    lang = CONSOLE.language(request)
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
            reason = field(await request.post(), "reason", 2000)
            action = workers.reject if decision == "reject" else workers.withdraw
            await action(worker_id, officer, reason, channel=channel)
    except InvalidInput as exc:
        if exc.params.get("field") != "reason":
            raise
        return await queue(request, error="error.worker.reason_needed", status=422)
    return see_other(url(request, f"/queue?done={decision}"))
