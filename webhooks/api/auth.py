"""Who is calling: a facility by its partner API key, or the administrator by a token.

A facility sends its key as `Authorization: Bearer afk_...` (primary, what the OpenAPI
document and the guide show) or as `X-API-Key: afk_...` (for HIS products that can only set a
fixed header). Sending both with different values is a client bug and is refused (400) rather
than guessed at. The key itself is checked by `FacilityService.authenticate`, which refuses a
missing, wrong or revoked key (401) and an unverified facility (403).

The administrator sends `Authorization: Bearer <admin token>`, compared in constant time. A
server started without an admin token has no administrator on this API at all (403), so an
empty or default token can never open it.
"""

from __future__ import annotations

import hmac

from aiohttp import web

from core.errors import Forbidden
from core.facilities.errors import Unauthenticated
from core.facilities.views import FacilityView
from webhooks.api.keys import API_CONFIG
from webhooks.errors import HttpError
from webhooks.keys import SERVICES

API_KEY_HEADER = "X-API-Key"
#: Who the audit log names for a decision taken with the admin token.
ADMIN_ACTOR = "admin:api"


def bearer_token(authorization: str | None) -> str | None:
    """The token of `Authorization: Bearer <token>`; None when the header is absent or empty.

    Any other scheme (Basic, Digest) or a bearer with no token is returned as "" so the caller
    refuses it as a wrong credential, not as a missing one."""
    if authorization is None or not authorization.strip():
        return None
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer":
        return ""
    return token.strip()


def presented_key(request: web.Request) -> str | None:
    """The facility key the request carries, from either header (None when neither)."""
    bearer = bearer_token(request.headers.get("Authorization"))
    header = request.headers.get(API_KEY_HEADER)
    header = header.strip() if header is not None and header.strip() else None
    if bearer is not None and header is not None and bearer != header:
        raise HttpError(400, "request.conflicting_credentials")
    return bearer if bearer is not None else header


async def require_facility(request: web.Request) -> FacilityView:
    """The VERIFIED facility whose unrevoked key the request carries."""
    key = presented_key(request)
    if key == "":
        raise Unauthenticated("facility.key_invalid")
    return await request.config_dict[SERVICES].facilities.authenticate(key)


def require_admin(request: web.Request) -> str:
    """The audit actor for an administrator's request, or a refusal."""
    expected = request.config_dict[API_CONFIG].admin_token
    if not expected:
        raise Forbidden("admin.disabled")
    token = bearer_token(request.headers.get("Authorization"))
    if token is None:
        raise Unauthenticated("admin.token_missing")
    if not hmac.compare_digest(token.encode(), expected.encode()):
        raise Unauthenticated("admin.token_invalid")
    return ADMIN_ACTOR
