"""Rendering console pages: one Jinja2 environment, every label from the catalogs.

Why autoescape everywhere: every value a page shows (a name, a college, a rejection reason)
was typed by somebody outside the council. With `autoescape=True` Jinja escapes each value
as it is written into the page, and a template never marks anything safe, so markup typed
into any field reaches the officer's browser as text. `StrictUndefined` turns a misspelt
variable into an error in tests rather than a blank on a page.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import jinja2
from aiohttp import web
from babel.dates import format_datetime

import core
from core.errors import ArogyaError
from core.professionals.councils import COUNCILS
from core.professionals.masters import specialisation_key, system_key
from core.professionals.sessions import ConsoleSession
from locales import normalise_language, translate
from webhooks.council.keys import CONFIG, SESSION, TEMPLATES, Handler
from webhooks.council.security import LANG_COOKIE, CsrfRefused, csrf_token

log = logging.getLogger(__name__)

TEMPLATE_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"
#: Noto Sans Devanagari, shipped for the Health ID card: served so Hindi pages render on a
#: council office PC that has no Devanagari font of its own.
FONT_DIR = Path(core.__file__).parent / "assets" / "fonts"
#: Councils sit in India: times are shown in IST.
TIMEZONE = ZoneInfo("Asia/Kolkata")


def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def language(request: web.Request) -> str:
    """The session's language once signed in; before that, the language cookie's."""
    session: ConsoleSession | None = request.get(SESSION)
    if session is not None:
        return session.language
    return normalise_language(request.cookies.get(LANG_COOKIE))


def render(
    request: web.Request, template: str, *, status: int = 200, **context: Any
) -> web.Response:
    lang = language(request)
    session = request.get(SESSION)
    config = request.config_dict[CONFIG]

    def t(key: str, **params: Any) -> str:
        return str(translate(key, lang, **params))

    def when(moment: datetime | None) -> str:
        if moment is None:
            return ""
        return str(format_datetime(moment, "d MMM y, HH:mm", tzinfo=TIMEZONE, locale=lang))

    html = (
        request.config_dict[TEMPLATES]
        .get_template(template)
        .render(
            t=t,
            when=when,
            lang=lang,
            session=session,
            council_name=t(COUNCILS[session.officer.council].label_key) if session else "",
            csrf_token=csrf_token(request),
            prefix=config.prefix,
            # where the language switch returns to: this page, or the start after a POST
            here=request.path_qs if request.method == "GET" else config.prefix + "/",
            specialisation_key=specialisation_key,
            system_key=system_key,
            **context,
        )
    )
    return web.Response(text=html, content_type="text/html", charset="utf-8", status=status)


def error_page(request: web.Request, status: int, message: str) -> web.Response:
    return render(request, "error.html", status=status, message=message)


@web.middleware
async def errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every refusal becomes a page in the officer's language (returned, so the app's JSON
    error middleware leaves it alone)."""
    try:
        return await handler(request)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        key = "council.error.not_found" if exc.status in (404, 405) else "council.error.server"
        return error_page(request, exc.status, translate(key, language(request)))
    except CsrfRefused:
        return error_page(request, 403, translate("council.error.csrf", language(request)))
    except ArogyaError as exc:
        text = translate(f"error.{exc.code}", language(request), **exc.params)
        return error_page(request, exc.http_status, text)
    except Exception:
        log.exception("council console failed on %s %s", request.method, request.path)
        return error_page(request, 500, translate("council.error.server", language(request)))
