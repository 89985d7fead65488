"""Link tokens over the partner API: a facility asks a person, then links visits with the token.

    POST /api/v1/hip/link-requests                      {abha_number | abha_address} -> 202
    GET  /api/v1/hip/link-requests/{request_id}         pending | authorised | issued | failed
    POST /api/v1/hip/link-requests/{request_id}/token   {code} -> 201 {link_token, expires_at}

Why 202 for every ABHA, real or not: the answer must not tell a facility who has an ABHA
(`core.records.linking`). The code goes to the ABHA's own mobile; the person tells it at the
desk, or replies "YES <code>" to the SMS, after which the token is taken without a code.
The schemas and the OpenAPI paths of these three operations live here, beside the handlers.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from aiohttp import web
from pydantic import BaseModel, Field

from core.records.models import LinkStatus
from webhooks.api import present
from webhooks.api.auth import require_facility
from webhooks.api.bodies import JSON, json_body
from webhooks.api.keys import API_CONFIG
from webhooks.api.operations import AUTH_ERRORS, BODY_ERRORS, FACILITY, merged, operation
from webhooks.api.operations import path_param as _path_param
from webhooks.api.schemas import Body
from webhooks.keys import SERVICES


class LinkRequestBody(Body):
    """Ask a person to let this facility add visits to their ABHA, named by exactly one of
    `abha_number` and `abha_address`. A code goes by SMS to the ABHA's own mobile."""

    abha_number: str | None = Field(default=None, examples=["91-5555-1234-5678"])
    abha_address: str | None = Field(default=None, examples=["sunita.devi@abdm"])


class LinkTokenBody(Body):
    """The code the person read out at the desk; leave it out once the person has replied
    YES to the SMS (the request's status is then `authorised`)."""

    code: str | None = Field(default=None, description="Six digits.", examples=["042817"])


class LinkRequestState(Body):
    """A link request. The same answer for every ABHA until the person authorises it."""

    id: str
    status: LinkStatus
    expires_at: dt.datetime = Field(description="Until when the code is good.")


class LinkTokenIssued(Body):
    """The link token: send it as `link_token` when linking visits. Shown only here."""

    link_token: str
    expires_at: dt.datetime = Field(description="Six months after it was issued.")


REQUESTS: tuple[type[BaseModel], ...] = (LinkRequestBody, LinkTokenBody)
RESPONSES: tuple[type[BaseModel], ...] = (LinkRequestState, LinkTokenIssued)

REQUEST_ID = _path_param("request_id", "The id the link request was answered with.")
PATHS: dict[str, Any] = {
    "/api/v1/hip/link-requests": {
        "post": operation(
            "requestLinkToken",
            "Ask a person to let this facility link their visits",
            tag="hip",
            security=FACILITY,
            body=("LinkRequestBody", (JSON,)),
            description="Answers 202 alike whether or not the ABHA exists. At most 3 requests "
            "per facility per person per day (429 after).",
            ok={
                202: (
                    "Asked (a code went to the ABHA's mobile, if there is one).",
                    "LinkRequestState",
                )
            },
            errors=merged(
                AUTH_ERRORS,
                BODY_ERRORS,
                {
                    422: "records.invalid (field abha), abha.invalid, address.invalid",
                    429: "link.rate_limited",
                },
            ),
        ),
    },
    "/api/v1/hip/link-requests/{request_id}": {
        "get": operation(
            "getLinkRequest",
            "Where a link request stands",
            tag="hip",
            security=FACILITY,
            parameters=[REQUEST_ID],
            ok={200: ("The request.", "LinkRequestState")},
            errors=merged(AUTH_ERRORS, {404: "link.not_found"}),
        ),
    },
    "/api/v1/hip/link-requests/{request_id}/token": {
        "post": operation(
            "issueLinkToken",
            "Take the link token the person authorised",
            tag="hip",
            security=FACILITY,
            parameters=[REQUEST_ID],
            body=("LinkTokenBody", (JSON,)),
            description="With the code the person told you, or without one once they replied "
            "YES. Five wrong codes end the request.",
            ok={201: ("Issued (only once).", "LinkTokenIssued")},
            errors=merged(
                AUTH_ERRORS,
                BODY_ERRORS,
                {
                    403: "link.failed",
                    404: "link.not_found",
                    409: "link.expired, link.issued",
                    422: "link.code_invalid (attempts_left)",
                },
            ),
        ),
    },
}


async def request_link(request: web.Request) -> web.Response:
    facility = await require_facility(request)
    limit = request.config_dict[API_CONFIG].json_body_max_bytes
    body = await json_body(request, LinkRequestBody, limit)
    view = await request.config_dict[SERVICES].links.request(
        facility, abha_number=body.abha_number, abha_address=body.abha_address
    )
    state = LinkRequestState(id=view.id, status=view.status, expires_at=view.expires_at)
    return present.reply(state, status=202)


async def show_link(request: web.Request) -> web.Response:
    facility = await require_facility(request)
    links = request.config_dict[SERVICES].links
    view = await links.status(facility, request.match_info["request_id"])
    state = LinkRequestState(id=view.id, status=view.status, expires_at=view.expires_at)
    return present.reply(state)


async def issue_token(request: web.Request) -> web.Response:
    facility = await require_facility(request)
    limit = request.config_dict[API_CONFIG].json_body_max_bytes
    body = await json_body(request, LinkTokenBody, limit)
    links = request.config_dict[SERVICES].links
    issued = await links.issue(facility, request.match_info["request_id"], body.code)
    answer = LinkTokenIssued(link_token=issued.token, expires_at=issued.expires_at)
    return present.reply(answer, status=201, headers=present.NO_STORE)


def add_routes(router: web.UrlDispatcher) -> None:
    router.add_post("/hip/link-requests", request_link)
    router.add_get("/hip/link-requests/{request_id}", show_link)
    router.add_post("/hip/link-requests/{request_id}/token", issue_token)
