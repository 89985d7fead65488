"""What the partner API sub-application shares with its handlers (typed `web.AppKey`s).

Why a config object and not settings: the admin token and the record hook are handed to
`setup_partner_api` by the composition root (a test passes its own), so a handler never reads
the environment and a test never patches one.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from core.records.views import StoredRecord

#: Told about each newly stored record (never about an idempotent repeat).
RecordHook = Callable[[StoredRecord], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class ApiConfig:
    #: The administrator's bearer token; None disables the admin endpoints (403).
    admin_token: str | None
    on_record_stored: RecordHook | None
    #: Unauthenticated registrations one client address may make per window.
    registrations_per_window: int
    registration_window_seconds: int
    #: The cap on a JSON request body (a FHIR document has its own, from settings).
    json_body_max_bytes: int


API_CONFIG: web.AppKey[ApiConfig] = web.AppKey("partner_api_config", ApiConfig)
OPENAPI: web.AppKey[dict[str, Any]] = web.AppKey("partner_api_openapi", dict)
#: The partner API sub-application, set on the parent app by `setup_partner_api`.
PARTNER_API: web.AppKey[web.Application] = web.AppKey("partner_api", web.Application)
