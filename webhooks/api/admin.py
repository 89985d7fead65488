"""The administrator's side of the registry: the queue, a decision, and a facility's keys.

Every handler starts with `require_admin`; the decision is audited by core with the actor
`admin:api`. A key is in a response body exactly once (verify and rotate answer it, with
`Cache-Control: no-store`); after that only its public `key_id` is ever shown anywhere.
"""

from __future__ import annotations

from aiohttp import web

from webhooks.api import present, query, schemas
from webhooks.api.auth import require_admin
from webhooks.api.bodies import json_body
from webhooks.api.keys import API_CONFIG
from webhooks.keys import SERVICES


def _facility_id(request: web.Request) -> str:
    return request.match_info["facility_id"]


async def queue(request: web.Request) -> web.Response:
    require_admin(request)
    status, page_number, page_size = query.facility_queue(request.query)
    facilities = request.config_dict[SERVICES].facilities
    page = await facilities.by_status(status, page=page_number, page_size=page_size)
    body = schemas.FacilityQueuePage(
        items=[present.facility_record(view) for view in page.items],
        **present.page_links(request.rel_url, page),
    )
    return present.reply(body)


async def show(request: web.Request) -> web.Response:
    require_admin(request)
    view = await request.config_dict[SERVICES].facilities.get(_facility_id(request))
    return present.reply(present.facility_record(view))


async def verify(request: web.Request) -> web.Response:
    admin = require_admin(request)
    facilities = request.config_dict[SERVICES].facilities
    issued = await facilities.verify(_facility_id(request), admin=admin)
    view = await facilities.get(issued.facility_id)
    return present.reply(present.key_issued(view, issued), headers=present.NO_STORE)


async def reject(request: web.Request) -> web.Response:
    admin = require_admin(request)
    limit = request.config_dict[API_CONFIG].json_body_max_bytes
    body = await json_body(request, schemas.Rejection, limit)
    facilities = request.config_dict[SERVICES].facilities
    view = await facilities.reject(_facility_id(request), body.reason, admin=admin)
    return present.reply(present.facility_record(view))


async def rotate_key(request: web.Request) -> web.Response:
    admin = require_admin(request)
    facilities = request.config_dict[SERVICES].facilities
    issued = await facilities.rotate_key(_facility_id(request), actor=admin)
    view = await facilities.get(issued.facility_id)
    return present.reply(present.key_issued(view, issued), headers=present.NO_STORE)


async def revoke_key(request: web.Request) -> web.Response:
    admin = require_admin(request)
    await request.config_dict[SERVICES].facilities.revoke_key(_facility_id(request), actor=admin)
    return web.Response(status=204)
