"""The public face of the facility registry: register, look up, search.

Registration is open: a facility asking to be registered has no key yet (keys are issued on
verification). What it registers goes straight to SUBMITTED, the administrator's queue: an
anonymous caller holds nothing that would let it come back to submit a DRAFT later. To keep
that open door from flooding the queue, each client address may register
`registrations_per_window` times per window (every attempt counts, valid or not), counted in
the shared state store, so N web processes enforce one limit. The window is a fixed slice of
the injected clock, so the limit replays exactly in a test.

Look-up and search show VERIFIED facilities only: a submitted or rejected one is nobody's
business but its registrant's and the administrator's (a 404 does not reveal it exists).
"""

from __future__ import annotations

from aiohttp import web

from core.errors import NotFound
from core.facilities.draft import FacilityDraft
from core.state import StateKey
from webhooks.api import present, query, schemas
from webhooks.api.bodies import json_body
from webhooks.api.keys import API_CONFIG
from webhooks.errors import HttpError
from webhooks.keys import SERVICES

#: The audit log's actor for a registration nobody authenticated.
PUBLIC_ACTOR = "api:public"


async def check_registration_rate(request: web.Request) -> None:
    config = request.config_dict[API_CONFIG]
    services = request.config_dict[SERVICES]
    window = config.registration_window_seconds
    now = int(services.clock.now().timestamp())
    slot = now // window
    client = request.remote or "unknown"
    key = StateKey("rate", "api", f"register:{client}:{slot}")
    count = await services.state.incr(str(key), ttl=window)
    if count > config.registrations_per_window:
        raise HttpError(429, "request.rate_limited", retry_after=(slot + 1) * window - now)


async def register(request: web.Request) -> web.Response:
    await check_registration_rate(request)
    config = request.config_dict[API_CONFIG]
    body = await json_body(request, schemas.FacilityRegistration, config.json_body_max_bytes)
    draft = FacilityDraft(**body.model_dump())
    services = request.config_dict[SERVICES]
    view = await services.facilities.register(draft, actor=PUBLIC_ACTOR, submit=True)
    return present.reply(present.facility_record(view), status=201)


async def show(request: web.Request) -> web.Response:
    view = await request.config_dict[SERVICES].facilities.get(request.match_info["facility_id"])
    if not view.is_verified:
        raise NotFound("facility.not_found")
    return present.reply(present.public_facility(view))


async def search(request: web.Request) -> web.Response:
    wanted = query.facility_search(request.query)
    page = await request.config_dict[SERVICES].facilities.search(
        q=wanted.q,
        facility_type=wanted.facility_type,
        district=wanted.district,
        pincode=wanted.pincode,
        page=wanted.page,
        page_size=wanted.page_size,
    )
    body = schemas.FacilityPage(
        items=[present.public_facility(view) for view in page.items],
        **present.page_links(request.rel_url, page),
    )
    return present.reply(body)
