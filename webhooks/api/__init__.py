"""The partner API: facilities register, an administrator verifies them, and a verified
facility links visits and pushes FHIR documents for a person's ABHA (as a HIP) and asks for
consent and fetches what it covers (as a HIU); doctors register with the professionals
registry.

Mount it with `setup_partner_api(app, admin_token=..., on_record_stored=...)`; it reads the
core services from `app[SERVICES]`. It is a sub-application under `/api/v1` with its own
instance of the app's JSON error middleware (`webhooks.errors`), the detailed one: every refusal
is the partner API's JSON, in the caller's language and with `field`/`paths` details. The main
routes, in the order a facility meets them (the OpenAPI document lists every one):

    POST /api/v1/facilities                                   register (public, rate-limited)
    POST /api/v1/admin/facilities/{facility_id}/verify        admin: verify, key shown once
    POST /api/v1/hip/link-requests                            facility key: ask the person
    GET  /api/v1/hip/link-requests/{request_id}               facility key: has the person said yes
    POST /api/v1/hip/link-requests/{request_id}/token         facility key: take the link token
    POST /api/v1/hip/care-contexts                            facility key: link a visit (token)
    POST /api/v1/hip/care-contexts/{reference}/documents      facility key: push a document
    POST /api/v1/hiu/consent-requests                         facility key: ask for consent
    GET  /api/v1/hiu/consents/{artefact_id}/records           facility key: consented records
    GET  /api/v1/facilities?q=&type=&district=&pincode=&page= public search
    POST /api/v1/professionals (and .../mobile-otp first)     a doctor registers
    GET  /api/v1/hiu/consent-requests/{request_id}            facility key: status, artefacts
    GET  /api/v1/consent/certs                                public: keys artefacts verify with
    GET  /api/v1/hiu/missed-events                            facility key: callbacks it never got
    GET  /api/v1/professionals?specialisation=&district=|pincode=   public search of doctors
    GET  /api/v1/openapi.json                                 the OpenAPI 3.1 document

docs/partner-api.md walks through them with curl.
"""

from __future__ import annotations

from aiohttp import web

from webhooks.api import admin, consent, facilities, hip, linking, missed, openapi, professionals
from webhooks.api.keys import API_CONFIG, OPENAPI, PARTNER_API, ApiConfig, RecordHook
from webhooks.errors import json_errors
from webhooks.keys import SERVICES

PREFIX = "/api/v1"
JSON_BODY_MAX_BYTES = 64 * 1024
REGISTRATIONS_PER_HOUR = 10
#: The realm named in `WWW-Authenticate` on every 401.
REALM = "arogya-partner-api"

__all__ = ["PREFIX", "RecordHook", "setup_partner_api"]


def setup_partner_api(
    app: web.Application,
    *,
    admin_token: str | None,
    on_record_stored: RecordHook | None = None,
    registrations_per_hour: int = REGISTRATIONS_PER_HOUR,
) -> None:
    """Mount the partner API on `app` (which must already hold `SERVICES`).

    `admin_token` is the administrator's bearer token (settings.admin_token); None turns the
    admin endpoints off. `on_record_stored` is awaited once for each newly stored record (the
    composition root points it at the notifier)."""
    if SERVICES not in app:
        raise RuntimeError("set app[SERVICES] before mounting the partner API")
    api = web.Application(middlewares=[json_errors(detailed=True, realm=REALM)])
    api[API_CONFIG] = ApiConfig(
        admin_token=admin_token or None,
        on_record_stored=on_record_stored,
        registrations_per_window=registrations_per_hour,
        registration_window_seconds=3600,
        json_body_max_bytes=JSON_BODY_MAX_BYTES,
    )
    api[OPENAPI] = openapi.build_document()
    router = api.router
    router.add_post("/facilities", facilities.register)
    router.add_get("/facilities", facilities.search)
    router.add_get("/facilities/{facility_id}", facilities.show)
    router.add_get("/admin/facilities", admin.queue)
    router.add_get("/admin/facilities/{facility_id}", admin.show)
    router.add_post("/admin/facilities/{facility_id}/verify", admin.verify)
    router.add_post("/admin/facilities/{facility_id}/reject", admin.reject)
    router.add_post("/admin/facilities/{facility_id}/keys/rotate", admin.rotate_key)
    router.add_post("/admin/facilities/{facility_id}/keys/revoke", admin.revoke_key)
    router.add_post("/hip/keys/rotate", hip.rotate_own_key)
    linking.add_routes(router)
    router.add_post("/hip/care-contexts", hip.link_care_context)
    router.add_post("/hip/care-contexts/{reference}/documents", hip.push_document)
    router.add_post("/hiu/consent-requests", consent.create_request)
    router.add_get("/hiu/consent-requests/{request_id}", consent.show_request)
    router.add_get("/hiu/consents/{artefact_id}/records", consent.fetch_records)
    router.add_get("/consent/certs", consent.certs)
    router.add_get("/hiu/missed-events", missed.list_missed)
    professionals.add_routes(router)
    router.add_get("/openapi.json", openapi.serve_document)
    app.add_subapp(PREFIX, api)
    app[PARTNER_API] = api
