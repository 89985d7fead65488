"""The health worker console: server-rendered pages at `/workers-console` where an officer of a
facility or a district verifies, rejects or withdraws the health workers who serve it.

Why beside the council console rather than inside it: a council officer decides doctors of one
council, a worker officer workers of one facility or district; separate accounts and sessions
keep either from acting on the other's queue. What is the same is reused: the console config,
cookies, redirects, security headers and pre-sign-in CSRF tokens of `webhooks.council.security`,
the stylesheet and fonts, password hashing and the session token's hash (core).
"""

from __future__ import annotations

from aiohttp import web

from core.workers.service import WorkerService
from webhooks.council import pages as council_pages
from webhooks.council import security as council_security
from webhooks.council.keys import CONFIG, ConsoleConfig
from webhooks.workers import pages, security, views
from webhooks.workers.keys import TEMPLATES, WORKERS

PREFIX = "/workers-console"


def setup_worker_console(
    app: web.Application,
    workers: WorkerService,
    *,
    secret_key: str,
    secure_cookies: bool = False,
    prefix: str = PREFIX,
) -> web.Application:
    """Mount the console under `prefix`; returns the sub-application."""
    console = web.Application(
        middlewares=[pages.errors, council_security.headers, security.sessions]
    )
    console[WORKERS] = workers
    console[CONFIG] = ConsoleConfig(
        prefix=prefix,
        secret_key=secret_key.encode(),
        secure_cookies=secure_cookies,
        audit_channel="web",
    )
    console[TEMPLATES] = pages.environment()
    router = console.router
    router.add_get("/", views.index, name="index")
    router.add_get("/sign-in", views.sign_in_form, name="sign_in_form")
    router.add_post("/sign-in", views.sign_in, name="sign_in")
    router.add_post("/sign-out", views.sign_out, name="sign_out")
    router.add_post("/language", views.choose_language, name="language")
    router.add_get("/queue", views.queue, name="queue")
    decision = r"/workers/{worker_id:W\d{9}}/{decision:verify|reject|withdraw}"
    router.add_post(decision, views.decide, name="decide")
    router.add_static("/static", council_pages.STATIC_DIR, name="static")
    router.add_static("/fonts", council_pages.FONT_DIR, name="fonts")

    async def to_console(request: web.Request) -> web.Response:
        return council_security.see_other(prefix + "/")

    app.router.add_get(prefix, to_console)
    app.add_subapp(prefix, console)
    return console
