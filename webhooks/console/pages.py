"""Rendering officer console pages: one Jinja2 environment a console, every label from the
catalogs, every refusal a page.

Why autoescape everywhere: every value a page shows (a name, a college, a rejection reason)
was typed by somebody outside the office. With `autoescape=True` Jinja escapes each value
as it is written into the page, and a template never marks anything safe, so markup typed
into any field reaches the officer's browser as text. `StrictUndefined` turns a misspelt
variable into an error in tests rather than a blank on a page.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
from aiohttp import web
from aiohttp.typedefs import Middleware

from core.errors import ArogyaError
from locales import translate
from webhooks.console.keys import CONFIG, TEMPLATES, Handler
from webhooks.console.security import Console, CsrfRefused, S

#: The frame every console's `base.html` extends, and the sign-in and error pages they share.
SHARED_TEMPLATES = Path(__file__).parent / "templates"

Render = Callable[..., web.Response]


def environment(template_dir: Path) -> jinja2.Environment:
    """A console's templates first, then the shared ones."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader([template_dir, SHARED_TEMPLATES]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def page(
    console: Console[S],
    request: web.Request,
    template: str,
    *,
    status: int = 200,
    **context: Any,
) -> web.Response:
    """`template` rendered with what every console page gets (`t`, the language, the session,
    the CSRF token, the prefix, where the language switch returns to) and `context`."""
    lang = console.language(request)
    config = request.config_dict[CONFIG]

    def t(key: str, **params: Any) -> str:
        return str(translate(key, lang, **params))

    html = (
        request.config_dict[TEMPLATES]
        .get_template(template)
        .render(
            t=t,
            lang=lang,
            session=console.session(request),
            csrf_token=console.csrf_token(request),
            prefix=config.prefix,
            # where the language switch returns to: this page, or the start after a POST
            here=request.path_qs if request.method == "GET" else config.prefix + "/",
            **context,
        )
    )
    return web.Response(text=html, content_type="text/html", charset="utf-8", status=status)


def error_middleware(
    console: Console[S], render: Render, logger: logging.Logger, name: str
) -> Middleware:
    """Every refusal becomes a page in the officer's language (returned, so the app's JSON
    error middleware leaves it alone); a failure is logged on the console's `logger` as `name`'s."""

    def error_page(request: web.Request, status: int, message: str) -> web.Response:
        return render(request, "error.html", status=status, message=message)

    @web.middleware
    async def errors(request: web.Request, handler: Handler) -> web.StreamResponse:
        try:
            return await handler(request)
        except web.HTTPException as exc:
            if exc.status < 400:
                raise
            key = "council.error.not_found" if exc.status in (404, 405) else "council.error.server"
            return error_page(request, exc.status, translate(key, console.language(request)))
        except CsrfRefused:
            text = translate("council.error.csrf", console.language(request))
            return error_page(request, 403, text)
        except ArogyaError as exc:
            text = translate(f"error.{exc.code}", console.language(request), **exc.params)
            return error_page(request, exc.http_status, text)
        except Exception:
            logger.exception("%s failed on %s %s", name, request.method, request.path)
            text = translate("council.error.server", console.language(request))
            return error_page(request, 500, text)

    return errors
