"""Typed keys of the worker console's sub-application and requests."""

from __future__ import annotations

import jinja2
from aiohttp import web

from core.workers.officers import WorkerConsoleSession
from core.workers.service import WorkerService

WORKERS: web.AppKey[WorkerService] = web.AppKey("workers_registry")
TEMPLATES: web.AppKey[jinja2.Environment] = web.AppKey("workers_templates")
#: The signed-in session of this request, if any.
SESSION: web.RequestKey[WorkerConsoleSession | None] = web.RequestKey("workers_session")
#: The session cookie's token as sent (empty when none was).
TOKEN: web.RequestKey[str] = web.RequestKey("workers_token")
#: The nonce behind the CSRF token of forms shown before sign-in.
PRE_NONCE: web.RequestKey[str] = web.RequestKey("workers_pre_nonce")
