"""Typed keys of the worker console's sub-application and requests (the config and the keys
every console shares are `webhooks.console.keys`)."""

from __future__ import annotations

from aiohttp import web

from core.workers.officers import WorkerConsoleSession
from core.workers.service import WorkerService

WORKERS: web.AppKey[WorkerService] = web.AppKey("workers_registry")
#: The signed-in session of this request, if any.
SESSION: web.RequestKey[WorkerConsoleSession | None] = web.RequestKey("workers_session")
