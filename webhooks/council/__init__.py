"""The State Medical Council console: server-rendered pages at `/council` where a council's
officers verify or reject the doctors who registered with that council.

Mount it on the main app with `setup_council(app, services.professionals, ...)`; it is a
sub-application with its own middlewares (error pages, security headers, sessions and CSRF),
so its refusals are HTML pages in the officer's language, not the partner API's JSON.
"""

from __future__ import annotations

from aiohttp import web

from core.professionals.service import ProfessionalService
from webhooks.council import pages, security, views
from webhooks.council.keys import CONFIG, REGISTRY, TEMPLATES, ConsoleConfig

PREFIX = "/council"
#: The audit log's channel for console decisions: the console is a web page.
AUDIT_CHANNEL = "web"


def setup_council(
    app: web.Application,
    registry: ProfessionalService,
    *,
    secret_key: str,
    secure_cookies: bool = False,
    prefix: str = PREFIX,
    audit_channel: str = AUDIT_CHANNEL,
) -> web.Application:
    """Mount the console under `prefix`; returns the sub-application.

    `secret_key` signs the pre-sign-in CSRF tokens (pass `settings.secret_key`);
    `secure_cookies=True` marks cookies Secure even when TLS ends at a proxy in front (pass
    `settings.public_url.startswith("https://")`).
    """
    console = web.Application(middlewares=[pages.errors, security.headers, security.sessions])
    console[REGISTRY] = registry
    console[CONFIG] = ConsoleConfig(
        prefix=prefix,
        secret_key=secret_key.encode(),
        secure_cookies=secure_cookies,
        audit_channel=audit_channel,
    )
    console[TEMPLATES] = pages.environment()
    router = console.router
    router.add_get("/", views.index, name="index")
    router.add_get("/sign-in", views.sign_in_form, name="sign_in_form")
    router.add_post("/sign-in", views.sign_in, name="sign_in")
    router.add_post("/sign-out", views.sign_out, name="sign_out")
    router.add_post("/language", views.choose_language, name="language")
    router.add_get("/queue", views.queue, name="queue")
    router.add_get("/history", views.history, name="history")
    router.add_get(r"/registrations/{hpr_id:\d{14}}", views.show, name="detail")
    router.add_post(r"/registrations/{hpr_id:\d{14}}/verify", views.verify, name="verify")
    router.add_post(r"/registrations/{hpr_id:\d{14}}/reject", views.reject, name="reject")
    router.add_static("/static", pages.STATIC_DIR, name="static")
    router.add_static("/fonts", pages.FONT_DIR, name="fonts")

    async def to_console(request: web.Request) -> web.Response:
        return security.see_other(prefix + "/")

    app.router.add_get(prefix, to_console)
    app.add_subapp(prefix, console)
    return console
