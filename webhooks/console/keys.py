"""Typed keys and the config every officer console's sub-application and requests carry."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import jinja2
from aiohttp import web


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


CONFIG: web.AppKey[ConsoleConfig] = web.AppKey("console_config")
#: The console's own templates, then the shared ones (`webhooks.console.pages.environment`).
TEMPLATES: web.AppKey[jinja2.Environment] = web.AppKey("console_templates")

#: The session cookie's token as sent (empty when none was).
TOKEN: web.RequestKey[str] = web.RequestKey("console_token")
#: The nonce behind the CSRF token of forms shown before sign-in.
PRE_NONCE: web.RequestKey[str] = web.RequestKey("console_pre_nonce")

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
