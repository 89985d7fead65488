"""Typed keys for what the aiohttp app shares with its handlers (aiohttp's web.AppKey).

The composition root sets SETTINGS, ENGINE and (for SMS) SMS_OUT (`services.sms`); TRANSLATE is
optional (default `locales.translate`; tests layer a catalog of their own over it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiohttp import web

if TYPE_CHECKING:
    from core.services import Services
    from core.settings import Settings
    from flows.engine import Engine
    from webhooks.render import Translate
    from webhooks.sms import SmsOut

SERVICES: web.AppKey[Services] = web.AppKey("services")
ENGINE: web.AppKey[Engine[Any]] = web.AppKey("engine")
SETTINGS: web.AppKey[Settings] = web.AppKey("settings")
SMS_OUT: web.AppKey[SmsOut] = web.AppKey("sms_out")
TRANSLATE: web.AppKey[Translate] = web.AppKey("translate")
