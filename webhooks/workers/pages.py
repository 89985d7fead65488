"""Rendering the worker console's pages (`webhooks.console.pages`), with what only its pages
show: the facility or district the signed-in officer acts for."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from aiohttp import web

from core.facilities import lgd
from webhooks.console import pages
from webhooks.workers.security import CONSOLE

log = logging.getLogger(__name__)

TEMPLATE_DIR = Path(__file__).parent / "templates"


def place_name(facility_id: str | None, district_lgd: int | None, lang: str) -> str:
    if facility_id is not None:
        return facility_id
    district = lgd.district(district_lgd or 0)
    return lgd.name(district, lang) if district else ""


def render(
    request: web.Request, template: str, *, status: int = 200, **context: Any
) -> web.Response:
    session = CONSOLE.session(request)
    officer = session.officer if session else None
    lang = CONSOLE.language(request)
    place = place_name(officer.facility_id, officer.district_lgd, lang) if officer else ""
    return pages.page(
        CONSOLE,
        request,
        template,
        status=status,
        place=place,
        **context,
    )


errors = pages.error_middleware(CONSOLE, render, log, "worker console")
