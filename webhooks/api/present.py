"""Core views turned into response bodies, and the JSON response every handler returns.

Why a separate step: what a partner sees is a choice (no key hash, no ABHA number echoed to a
facility, place names beside LGD codes), and making it in one place keeps the handlers to
"parse, call core, present".
"""

from __future__ import annotations

from typing import Any

from aiohttp import web
from pydantic import BaseModel
from yarl import URL

from core.facilities import lgd
from core.facilities.paging import Page
from core.facilities.views import FacilityView, IssuedKey
from core.records.views import CareContextView, RecordView
from webhooks.api import schemas

#: Responses that carry a secret must not be kept by any cache or proxy.
NO_STORE = {"Cache-Control": "no-store"}


def reply(
    body: BaseModel, status: int = 200, headers: dict[str, str] | None = None
) -> web.Response:
    return web.json_response(body.model_dump(mode="json"), status=status, headers=headers)


def _public_fields(view: FacilityView) -> dict[str, Any]:
    state = lgd.state(view.state_code)
    district = lgd.district(view.district_code)
    return {
        "id": view.id,
        "name": view.name,
        "facility_type": view.facility_type,
        "ownership": view.ownership,
        "system_of_medicine": view.system_of_medicine,
        "specialities": list(view.specialities),
        "services": list(view.services),
        "address": view.address,
        "state_code": view.state_code,
        "state_name": lgd.name(state, "en") if state else None,
        "district_code": view.district_code,
        "district_name": lgd.name(district, "en") if district else None,
        "pincode": view.pincode,
        "phone": view.phone,
    }


def public_facility(view: FacilityView) -> schemas.PublicFacility:
    return schemas.PublicFacility(**_public_fields(view))


def facility_record(view: FacilityView) -> schemas.FacilityRecord:
    return schemas.FacilityRecord(
        **_public_fields(view),
        status=view.status,
        rejection_reason=view.rejection_reason,
        callback_url=view.callback_url,
        created_at=view.created_at,
        submitted_at=view.submitted_at,
        decided_at=view.decided_at,
    )


def key_issued(view: FacilityView, issued: IssuedKey) -> schemas.KeyIssued:
    return schemas.KeyIssued(
        facility=facility_record(view),
        key=schemas.ApiKey(key_id=issued.key_id, api_key=issued.api_key),
    )


def page_links(url: URL, page: Page[Any]) -> dict[str, Any]:
    """Paging numbers and the neighbouring pages' URLs (this request's path and query, with
    only `page` changed), so a client follows `next` without rebuilding a query."""

    def at(number: int) -> str:
        return str(url.update_query(page=str(number)))

    return {
        "page": page.page,
        "page_size": page.page_size,
        "total": page.total,
        "pages": page.pages,
        "next": at(page.page + 1) if page.has_next else None,
        "prev": at(min(page.page - 1, page.pages)) if page.has_previous else None,
    }


def care_context(view: CareContextView) -> schemas.CareContext:
    return schemas.CareContext(
        id=view.id,
        reference=view.reference,
        display=view.display,
        hi_type=view.hi_type,
        date=view.date,
        created_at=view.created_at,
    )


def document_receipt(record: RecordView, warnings: tuple[str, ...]) -> schemas.DocumentReceipt:
    return schemas.DocumentReceipt(
        record=schemas.StoredDocument(
            id=record.id,
            care_context=record.care_context_reference or "",
            hi_type=record.hi_type,
            date=record.date,
            display=record.display,
            size=record.size,
            created_at=record.created_at,
        ),
        warnings=list(warnings),
    )
