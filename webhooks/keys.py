"""Typed keys for what the aiohttp app shares with its handlers (aiohttp's web.AppKey)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

if TYPE_CHECKING:
    from core.services import Services
    from flows.engine import Engine

SERVICES: web.AppKey[Services] = web.AppKey("services")
ENGINE: web.AppKey[Engine] = web.AppKey("engine")
