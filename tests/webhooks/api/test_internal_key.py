"""A partner cannot name an ABHA by the registry's internal key.

An ABHA made with a mobile alone has no ABHA number; its `abha_number` column is only this
registry's key, never shown to anyone. Named by that key, over the partner API, it reads as no
ABHA at all: a consent request is 404 `abha.not_found` as for an unknown number, a link request
reaches nobody (202 as for every ABHA, no SMS), and beside a link token it is not the token's
person. Named by its address, the same ABHA is found.
"""

from __future__ import annotations

import random

from core.healthid import numbers
from core.healthid.views import PersonView
from core.records.models import CareContext
from testing.linking import link_token
from testing.world import World, abdm_body
from tests.webhooks.api.conftest import Api

CONSENT = "/api/v1/hiu/consent-requests"
LINK_REQUESTS = "/api/v1/hip/link-requests"
CARE_CONTEXTS = "/api/v1/hip/care-contexts"


async def test_a_consent_request_by_the_internal_key_is_an_unknown_abha(
    api: Api, self_declared: PersonView
) -> None:
    hiu_id, key = await api.verified(name="Sanjeevani Hospital")
    await World(api.services).doctor(works_at=[hiu_id])
    unknown = numbers.format(numbers.generate(random.Random(3)))
    by_key = await api.call(
        "POST", CONSENT, json_body=abdm_body(hiu_id, self_declared.abha_number), key=key
    )
    by_unknown = await api.call("POST", CONSENT, json_body=abdm_body(hiu_id, unknown), key=key)
    assert (by_key.status, by_key.code) == (by_unknown.status, by_unknown.code)
    assert (by_key.status, by_key.code) == (404, "abha.not_found")
    by_address = await api.call(
        "POST", CONSENT, json_body=abdm_body(hiu_id, str(self_declared.address)), key=key
    )
    assert by_address.status == 201, by_address.body


async def test_a_link_request_by_the_internal_key_reaches_nobody(
    api: Api, hospital: tuple[str, str], self_declared: PersonView
) -> None:
    key = hospital[1]

    async def link_codes() -> int:
        sent = await api.services.sms.sent_to("+919876543211")
        return [row.message_key for row in sent].count("sms.link.code")

    asked = await api.call(
        "POST", LINK_REQUESTS, json_body={"abha_number": self_declared.abha_number}, key=key
    )
    assert asked.status == 202  # as for every ABHA, known or not
    assert await link_codes() == 0
    await api.call(
        "POST", LINK_REQUESTS, json_body={"abha_address": self_declared.address}, key=key
    )
    assert await link_codes() == 1


async def test_the_internal_key_beside_a_link_token_is_not_its_person(
    api: Api, hospital: tuple[str, str], self_declared: PersonView
) -> None:
    facility_id, key = hospital
    token = await link_token(api.services, facility_id, self_declared)
    visit = {
        "reference": "OPD-1",
        "display": "OPD visit",
        "hi_type": "Prescription",
        "date": "2026-01-10",
        "link_token": token,
    }
    by_key = await api.call(
        "POST",
        CARE_CONTEXTS,
        json_body={**visit, "abha_number": self_declared.abha_number},
        key=key,
    )
    assert (by_key.status, by_key.code) == (403, "link.token_invalid")
    assert await CareContext.all().count() == 0
    by_address = await api.call(
        "POST", CARE_CONTEXTS, json_body={**visit, "abha_address": self_declared.address}, key=key
    )
    assert by_address.status == 201, by_address.body
