"""Typed keys the console's sub-application and its requests carry."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import jinja2
from aiohttp import web

from core.professionals.service import ProfessionalService
from core.professionals.sessions import ConsoleSession


@dataclass(frozen=True, slots=True)
class ConsoleConfig:
    #: Where the console is mounted (`/council`); cookies are scoped to it.
    prefix: str
    #: Signs the CSRF token of forms shown before sign-in (`settings.secret_key`).
    secret_key: bytes
    #: Always mark cookies Secure (behind a TLS-terminating proxy); else only over https.
    secure_cookies: bool
    #: The audit channel decisions are recorded under.
    audit_channel: str


REGISTRY: web.AppKey[ProfessionalService] = web.AppKey("council_registry")
CONFIG: web.AppKey[ConsoleConfig] = web.AppKey("council_config")
TEMPLATES: web.AppKey[jinja2.Environment] = web.AppKey("council_templates")

#: The signed-in session of this request, if any.
SESSION: web.RequestKey[ConsoleSession | None] = web.RequestKey("council_session")
#: The session cookie's token as sent (empty when none was).
TOKEN: web.RequestKey[str] = web.RequestKey("council_token")
#: The nonce behind the CSRF token of forms shown before sign-in.
PRE_NONCE: web.RequestKey[str] = web.RequestKey("council_pre_nonce")

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
