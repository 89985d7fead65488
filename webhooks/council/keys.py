"""Typed keys the council console's sub-application and its requests carry (the config and the
keys every console shares are `webhooks.console.keys`)."""

from __future__ import annotations

from aiohttp import web

from core.professionals.service import ProfessionalService
from core.professionals.sessions import ConsoleSession

REGISTRY: web.AppKey[ProfessionalService] = web.AppKey("council_registry")

#: The signed-in session of this request, if any.
SESSION: web.RequestKey[ConsoleSession | None] = web.RequestKey("council_session")
