"""Rendering the worker console's pages: autoescaped Jinja2, every label from the catalogs."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import jinja2
from aiohttp import web

from core.errors import ArogyaError
from core.facilities import lgd
from core.workers.officers import WorkerConsoleSession
from locales import normalise_language, translate
from webhooks.council.keys import CONFIG, Handler
from webhooks.council.security import CsrfRefused
from webhooks.workers.keys import SESSION, TEMPLATES
from webhooks.workers.security import LANG_COOKIE, csrf_token

log = logging.getLogger(__name__)

TEMPLATE_DIR = Path(__file__).parent / "templates"


def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def language(request: web.Request) -> str:
    session: WorkerConsoleSession | None = request.get(SESSION)
    if session is not None:
        return session.language
    return normalise_language(request.cookies.get(LANG_COOKIE))


def place_name(facility_id: str | None, district_lgd: int | None, lang: str) -> str:
    if facility_id is not None:
        return facility_id
    district = lgd.district(district_lgd or 0)
    return lgd.name(district, lang) if district else ""


def render(
    request: web.Request, template: str, *, status: int = 200, **context: Any
) -> web.Response:
    lang = language(request)
    session = request.get(SESSION)
    config = request.config_dict[CONFIG]

    def t(key: str, **params: Any) -> str:
        return str(translate(key, lang, **params))

    officer = session.officer if session else None
    html = (
        request.config_dict[TEMPLATES]
        .get_template(template)
        .render(
            t=t,
            lang=lang,
            session=session,
            place=place_name(officer.facility_id, officer.district_lgd, lang) if officer else "",
            csrf_token=csrf_token(request),
            prefix=config.prefix,
            here=request.path_qs if request.method == "GET" else config.prefix + "/",
            **context,
        )
    )
    return web.Response(text=html, content_type="text/html", charset="utf-8", status=status)


def error_page(request: web.Request, status: int, message: str) -> web.Response:
    return render(request, "error.html", status=status, message=message)


@web.middleware
async def errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every refusal is a page in the officer's language, never the API's JSON or a 500."""
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
        log.exception("worker console failed on %s %s", request.method, request.path)
        return error_page(request, 500, translate("council.error.server", language(request)))
