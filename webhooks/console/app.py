"""Making and mounting an officer console's sub-application: what every console has (error pages,
security headers, sessions and CSRF, its config and templates, the sign-in routes, its assets,
the bare prefix sent on to the console) in one place, so a console's `setup_*` adds only its own
pages."""

from __future__ import annotations

from pathlib import Path

from aiohttp import web
from aiohttp.typedefs import Middleware

from webhooks.console.keys import CONFIG, TEMPLATES, ConsoleConfig
from webhooks.console.pages import Render, environment
from webhooks.console.security import Console, S, headers, see_other, session_middleware
from webhooks.console.sign_in import SignInViews


def console_app(
    console: Console[S],
    *,
    errors: Middleware,
    render: Render,
    template_dir: Path,
    prefix: str,
    secret_key: str,
    secure_cookies: bool,
    audit_channel: str,
) -> web.Application:
    """A console's sub-application, its sign-in routes added; the caller adds its own pages.

    `secret_key` signs the pre-sign-in CSRF tokens (pass `settings.secret_key`);
    `secure_cookies=True` marks cookies Secure even when TLS ends at a proxy in front (pass
    `settings.public_url.startswith("https://")`).
    """
    app = web.Application(middlewares=[errors, headers, session_middleware(console)])
    app[CONFIG] = ConsoleConfig(
        prefix=prefix,
        secret_key=secret_key.encode(),
        secure_cookies=secure_cookies,
        audit_channel=audit_channel,
    )
    app[TEMPLATES] = environment(template_dir)
    SignInViews(console, render).add_routes(app.router)
    return app


def mount(
    app: web.Application, console: web.Application, *, static_dir: Path, font_dir: Path
) -> web.Application:
    """`console` under its prefix, serving its stylesheet and fonts; returns `console`."""
    prefix = console[CONFIG].prefix
    console.router.add_static("/static", static_dir, name="static")
    console.router.add_static("/fonts", font_dir, name="fonts")

    async def to_console(request: web.Request) -> web.Response:
        return see_other(prefix + "/")

    app.router.add_get(prefix, to_console)
    app.add_subapp(prefix, console)
    return console
