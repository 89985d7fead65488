"""The health worker console: server-rendered pages at `/workers-console` where an officer of a
facility or a district verifies, rejects or withdraws the health workers who serve it.

Why beside the council console rather than inside it: a council officer decides doctors of one
council, a worker officer workers of one facility or district; separate accounts and sessions
keep either from acting on the other's queue. What is the same is shared: the session and
CSRF middleware, security headers, sign-in views, error pages and page frame of
`webhooks.console` (with this console's own cookies and accounts, `security.CONSOLE`), the
council's stylesheet and fonts, password hashing and the session token's hash (core).
"""

from __future__ import annotations

from aiohttp import web

from core.workers.service import WorkerService
from webhooks.console.app import console_app, mount
from webhooks.council import pages as council_pages
from webhooks.workers import pages, views
from webhooks.workers.keys import WORKERS
from webhooks.workers.security import CONSOLE

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
    console = console_app(
        CONSOLE,
        errors=pages.errors,
        render=pages.render,
        template_dir=pages.TEMPLATE_DIR,
        prefix=prefix,
        secret_key=secret_key,
        secure_cookies=secure_cookies,
        audit_channel="web",
    )
    console[WORKERS] = workers
    console.router.add_get("/queue", views.queue, name="queue")
    decision = r"/workers/{worker_id:W\d{9}}/{decision:verify|reject|withdraw}"
    console.router.add_post(decision, views.decide, name="decide")
    return mount(app, console, static_dir=council_pages.STATIC_DIR, font_dir=council_pages.FONT_DIR)
