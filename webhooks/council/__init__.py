"""The State Medical Council console: server-rendered pages at `/council` where a council's
officers verify or reject the doctors who registered with that council.

Mount it on the main app with `setup_council(app, services.professionals, ...)`; it is a
sub-application with its own middlewares (error pages, security headers, sessions and CSRF),
so its refusals are HTML pages in the officer's language, not the partner API's JSON.
"""

from __future__ import annotations

from aiohttp import web

from core.professionals.service import ProfessionalService
from webhooks.console.app import console_app, mount
from webhooks.council import pages, views
from webhooks.council.keys import REGISTRY
from webhooks.council.security import CONSOLE

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
    console = console_app(
        CONSOLE,
        errors=pages.errors,
        render=pages.render,
        template_dir=pages.TEMPLATE_DIR,
        prefix=prefix,
        secret_key=secret_key,
        secure_cookies=secure_cookies,
        audit_channel=audit_channel,
    )
    console[REGISTRY] = registry
    router = console.router
    router.add_get("/queue", views.queue, name="queue")
    router.add_get("/history", views.history, name="history")
    router.add_get(r"/registrations/{hpr_id:\d{14}}", views.show, name="detail")
    router.add_post(r"/registrations/{hpr_id:\d{14}}/verify", views.verify, name="verify")
    router.add_post(r"/registrations/{hpr_id:\d{14}}/reject", views.reject, name="reject")
    return mount(app, console, static_dir=pages.STATIC_DIR, font_dir=pages.FONT_DIR)
