"""The Healthcare Professionals Registry on the partner API: a doctor registers, anyone looks up
or searches VERIFIED doctors.

How a doctor proves their mobile over HTTP (the registry accepts no "verified: true" from any
caller): two calls before registering, then the proof is spent on the registration.

    POST /api/v1/professionals/mobile-otp          {"mobile": "98765 43210", "language": "en"}
      201 {"txn_id": "…", "masked_mobile": "******3210", "expires_at", "resend_at"}
          (an OTP goes to the mobile by SMS; 10 minutes; at most 5 wrong codes)
    POST /api/v1/professionals/mobile-otp/verify   {"txn_id": "…", "otp": "123456"}
      200 {"mobile_proof": "…", "masked_mobile": "******3210", "valid_until"}
    POST /api/v1/professionals                     {<the registration>, "mobile_proof": "…"}
      201 the registration, PENDING with its council (mobile masked)

The proof is good for one registration of that same mobile, within 30 minutes of the code
being verified (`core.professionals.service.MOBILE_PROOF_WINDOW`); otherwise 403
`hpr.mobile_unverified` (or 409 `hpr.mobile_proof_used`). The council's decision is sent to
the doctor by SMS, in the registration's `language`. Starting an OTP and registering count
against a per-address limit of the same size as facility registrations (429 with Retry-After).

Refusals: a registration number already held by the council is 409
`hpr.duplicate_registration`; a council not in the master list 422 `hpr.council_unknown`; any
other field 422 `hpr.invalid` naming it (a body of the wrong shape, 422 `request.invalid`).
Free text (a college's name) is stored exactly as sent, `<script>` included: JSON carries it
as data, and every page that shows it escapes it; a name is letters only, so markup there is
refused.

    GET /api/v1/professionals/{hpr_id}                                      a VERIFIED doctor
    GET /api/v1/professionals?specialisation=&district=|pincode=&page=&page_size=   search

Both are public and show only VERIFIED doctors (anyone else is 404 `hpr.not_found`, so the
API does not reveal who has applied), without mobile or email.
"""

from __future__ import annotations

from aiohttp import web
from multidict import MultiMapping

from core.errors import InvalidInput, NotFound
from core.facilities.paging import Page as LinkedPage
from core.healthid import mobile as mobiles
from core.professionals.application import application_from_json
from core.professionals.models import ProfessionalStatus
from core.professionals.service import MOBILE_PROOF_WINDOW
from core.state import StateKey
from webhooks.api import present
from webhooks.api.bodies import json_body
from webhooks.api.facilities import PUBLIC_ACTOR
from webhooks.api.keys import API_CONFIG
from webhooks.api.professional_bodies import (
    MobileOtpCheck,
    MobileOtpRequest,
    MobileOtpSent,
    MobileProof,
    ProfessionalPage,
    ProfessionalRecord,
    ProfessionalRegistration,
    doctor_summary,
    public_professional,
)
from webhooks.errors import HttpError
from webhooks.keys import SERVICES

SEARCH_PARAMETERS = frozenset({"specialisation", "district", "pincode", "page", "page_size"})
DEFAULT_PAGE_SIZE = 10
MAX_PAGE_SIZE = 50


# --- handlers ---------------------------------------------------------------------------------


async def check_rate(request: web.Request) -> None:
    """OTPs and registrations from one client address, per window (as facilities count)."""
    config = request.config_dict[API_CONFIG]
    services = request.config_dict[SERVICES]
    window = config.registration_window_seconds
    now = int(services.clock.now().timestamp())
    slot = now // window
    key = StateKey("rate", "api", f"hpr:{request.remote or 'unknown'}:{slot}")
    if await services.state.incr(str(key), ttl=window) > config.registrations_per_window:
        raise HttpError(429, "request.rate_limited", retry_after=(slot + 1) * window - now)


async def start_mobile_otp(request: web.Request) -> web.Response:
    await check_rate(request)
    limit = request.config_dict[API_CONFIG].json_body_max_bytes
    body = await json_body(request, MobileOtpRequest, limit)
    registry = request.config_dict[SERVICES].professionals
    ticket = await registry.start_mobile_verification(body.mobile, body.language)
    sent = MobileOtpSent(
        txn_id=ticket.txn_id,
        masked_mobile=mobiles.mask(ticket.mobile),
        expires_at=ticket.expires_at,
        resend_at=ticket.resend_at,
    )
    return present.reply(sent, status=201, headers=present.NO_STORE)


async def verify_mobile_otp(request: web.Request) -> web.Response:
    limit = request.config_dict[API_CONFIG].json_body_max_bytes
    body = await json_body(request, MobileOtpCheck, limit)
    services = request.config_dict[SERVICES]
    ticket = await services.professionals.verify_mobile(body.txn_id, body.otp)
    proof = MobileProof(
        mobile_proof=ticket.txn_id,
        masked_mobile=mobiles.mask(ticket.mobile),
        valid_until=services.clock.now() + MOBILE_PROOF_WINDOW,
    )
    return present.reply(proof, headers=present.NO_STORE)


async def register(request: web.Request) -> web.Response:
    await check_rate(request)
    limit = request.config_dict[API_CONFIG].json_body_max_bytes
    body = await json_body(request, ProfessionalRegistration, limit)
    application = application_from_json(body.model_dump(exclude={"mobile_proof"}))
    view = await request.config_dict[SERVICES].professionals.register(
        application, mobile_txn_id=body.mobile_proof, channel="api", actor=PUBLIC_ACTOR
    )
    record = ProfessionalRecord.model_validate(view.as_json(), strict=False)
    return present.reply(record, status=201)


async def show(request: web.Request) -> web.Response:
    registry = request.config_dict[SERVICES].professionals
    view = await registry.get(request.match_info["hpr_id"])
    if view.status is not ProfessionalStatus.VERIFIED:
        raise NotFound("hpr.not_found")
    places = [card for _, card in await registry.places_of(view) if card is not None]
    return present.reply(public_professional(view, places))


def _search_values(query: MultiMapping[str]) -> dict[str, str]:
    """Each known parameter once; empty ones mean "not given" (as HTML forms send them)."""
    values: dict[str, str] = {}
    for name in query:
        if name not in SEARCH_PARAMETERS:
            raise InvalidInput("request.unknown_parameter", field=name)
        found = query.getall(name)
        if len(found) > 1:
            raise InvalidInput("hpr.invalid", field=name)
        if found[0].strip():
            values[name] = found[0].strip()
    return values


def _number(values: dict[str, str], name: str) -> int | None:
    text = values.get(name)
    if text is not None and (not (text.isascii() and text.isdigit()) or len(text) > 9):
        raise InvalidInput("hpr.invalid", field=name)
    return None if text is None else int(text)


async def search(request: web.Request) -> web.Response:
    values = _search_values(request.query)
    page, size = _number(values, "page"), _number(values, "page_size")
    if size is not None and not 1 <= size <= MAX_PAGE_SIZE:
        raise InvalidInput("hpr.invalid", field="page_size")
    found = await request.config_dict[SERVICES].professionals.search(
        values.get("specialisation", ""),
        district=_number(values, "district"),
        pincode=values.get("pincode"),
        page=1 if page is None else page,
        per_page=DEFAULT_PAGE_SIZE if size is None else size,
    )
    links = present.page_links(
        request.rel_url, LinkedPage(found.items, found.number, found.size, found.total)
    )
    body = ProfessionalPage(items=[doctor_summary(d) for d in found.items], **links)
    return present.reply(body)


def add_routes(router: web.UrlDispatcher) -> None:
    router.add_post("/professionals/mobile-otp", start_mobile_otp)
    router.add_post("/professionals/mobile-otp/verify", verify_mobile_otp)
    router.add_post("/professionals", register)
    router.add_get("/professionals", search)
    # any id but `mobile-otp`, so that path is not also a doctor's page (which made its 405
    # advertise GET in `Allow`); an id of another shape is still `hpr.not_found`
    router.add_get("/professionals/{hpr_id:(?!mobile-otp$)[^{}/]+}", show)
