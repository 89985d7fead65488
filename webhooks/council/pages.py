"""Rendering the council console's pages (`webhooks.console.pages`), with what only its pages
show: the council's name, dates in IST, and the labels of specialisations and systems.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web
from babel.dates import format_datetime

import core
from core.professionals.councils import COUNCILS
from core.professionals.masters import specialisation_key, system_key
from locales import translate
from webhooks.console import pages
from webhooks.council.security import CONSOLE

log = logging.getLogger(__name__)

TEMPLATE_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"
#: Noto Sans Devanagari, shipped for the Health ID card: served so Hindi pages render on a
#: council office PC that has no Devanagari font of its own.
FONT_DIR = Path(core.__file__).parent / "assets" / "fonts"
#: Councils sit in India: times are shown in IST.
TIMEZONE = ZoneInfo("Asia/Kolkata")


def render(
    request: web.Request, template: str, *, status: int = 200, **context: Any
) -> web.Response:
    lang = CONSOLE.language(request)
    session = CONSOLE.session(request)

    def when(moment: datetime | None) -> str:
        if moment is None:
            return ""
        return str(format_datetime(moment, "d MMM y, HH:mm", tzinfo=TIMEZONE, locale=lang))

    council = _council_name(session.officer.council, lang) if session else ""
    return pages.page(
        CONSOLE,
        request,
        template,
        status=status,
        when=when,
        council_name=council,
        specialisation_key=specialisation_key,
        system_key=system_key,
        **context,
    )


def _council_name(council: str, lang: str) -> str:
    """The council's name in the page's language, for "signed in as"."""
    return str(translate(COUNCILS[council].label_key, lang))


errors = pages.error_middleware(CONSOLE, render, log, "council console")
