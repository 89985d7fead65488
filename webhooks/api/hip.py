"""The Health Information Provider (HIP) side: a verified facility links visits and pushes
FHIR documents for them, with its own key, for its own care contexts only.

The order of refusals is the cheap-first order: who is calling (401/403), what kind of body
(415), how big (413, from Content-Length before reading), then the JSON and FHIR checks in
core (400/422), then the care context (404) and the idempotency key (409). A care context is
looked up within the calling facility, so another facility's reference is simply not found.

A new record is announced through the `on_record_stored` hook (the composition root points
it at the notifier: "New record from <facility>"). It runs after the record is committed and
before the answer; it runs once per record, never for an idempotent repeat, and its failure
is logged without failing the upload (the record is stored; the notifier has its own outbox).
"""

from __future__ import annotations

import logging

from aiohttp import web

from core.errors import InvalidInput
from core.records.fhir import parse_document
from core.records.views import StoredRecord
from webhooks.api import present, schemas
from webhooks.api.auth import require_facility
from webhooks.api.bodies import FHIR_JSON, JSON, check_content_type, json_body, read_body
from webhooks.api.keys import API_CONFIG
from webhooks.errors import HttpError
from webhooks.keys import SERVICES

log = logging.getLogger(__name__)

IDEMPOTENCY_HEADER = "Idempotency-Key"
#: Set on the answer to a repeated upload (the record was stored by an earlier request).
REPLAYED_HEADER = "Idempotent-Replayed"


async def link_care_context(request: web.Request) -> web.Response:
    facility = await require_facility(request)
    limit = request.config_dict[API_CONFIG].json_body_max_bytes
    body = await json_body(request, schemas.CareContextLink, limit)
    services = request.config_dict[SERVICES]
    # Only for the person a live token of this facility names: core checks it
    # (RecordService.link_care_context), as it does for every other door.
    view = await services.records.link_care_context(
        facility,
        link_token=body.link_token,
        reference=body.reference,
        display=body.display,
        hi_type=body.hi_type,
        date=body.date,
        abha_number=body.abha_number,
        abha_address=body.abha_address,
    )
    return present.reply(present.care_context(view), status=201)


async def push_document(request: web.Request) -> web.Response:
    facility = await require_facility(request)
    check_content_type(request, (FHIR_JSON, JSON))
    services = request.config_dict[SERVICES]
    limit = services.settings.records_max_bundle_bytes
    raw = await read_body(request, limit)
    try:
        stored = await services.records.store_document(
            facility,
            request.match_info["reference"],
            raw,
            idempotency_key=request.headers.get(IDEMPOTENCY_HEADER),
        )
    except InvalidInput as exc:
        if exc.code == "records.invalid_json":  # one code for "not JSON" across the API
            raise HttpError(400, "request.malformed_json") from None
        raise
    if not stored.created:
        # The same bytes were accepted before, so they parse; their warnings are the same.
        warnings = parse_document(raw, max_bytes=limit).warnings
        receipt = present.document_receipt(stored.record, warnings)
        return present.reply(receipt, status=200, headers={REPLAYED_HEADER: "true"})
    await announce(request, stored)
    return present.reply(present.document_receipt(stored.record, stored.warnings), status=201)


async def announce(request: web.Request, stored: StoredRecord) -> None:
    hook = request.config_dict[API_CONFIG].on_record_stored
    if hook is None:
        return
    try:
        await hook(stored)
    except Exception:
        log.exception("on_record_stored failed for record %s", stored.record.id)


async def rotate_own_key(request: web.Request) -> web.Response:
    """A facility replaces its key with its current one (routine rotation, or a suspected
    leak): the answer holds the new key, and the old one stops working at once."""
    facility = await require_facility(request)
    facilities = request.config_dict[SERVICES].facilities
    issued = await facilities.rotate_key(facility.id, actor=facility.id)
    view = await facilities.get(facility.id)
    return present.reply(present.key_issued(view, issued), headers=present.NO_STORE)
