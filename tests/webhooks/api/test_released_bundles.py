"""An HIU receives each bundle byte for byte as its HIP pushed it (FHIR decimals are exact), and
a bundle that fails FHIR R4 as pushed is marked so, judged by fhir.resources' own R4 model."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.observation import Observation
from pydantic import ValidationError

from core.healthid.views import PersonView
from core.records.hitypes import HiType
from testing.linking import link_token
from testing.records import fixture
from testing.world import PIN, World, abdm_body, bundle
from tests.webhooks.api.conftest import Api

ASK = "/api/v1/hiu/consent-requests"
FHIR = {"Content-Type": "application/fhir+json"}
#: ProjectEKA's OP consultation: its ImmunizationRecommendation lacks forecastStatus.
TOLERATED = "MAXRVH1012OPConsultationDoc20190807.json"
DECIMALS = ("7.50", "1.5E3", "3.14159265358979323846264338327950288419716939937510", "0.000")


def with_decimals(raw: bytes) -> bytes:
    """`raw` plus an Observation whose values are written as FHIR decimals a float would
    change, pretty-printed with odd spacing a re-serialisation would change too."""
    data = json.loads(raw)
    values = []
    for index, _ in enumerate(DECIMALS):
        values.append({"valueQuantity": {"value": f"@@{index}@@", "unit": "mmol/L"}})
    data["entry"].append(
        {
            "fullUrl": "Observation/decimals",
            "resource": {
                "resourceType": "Observation",
                "id": "decimals",
                "status": "final",
                "code": {"text": "Glucose"},
                "valueQuantity": {"value": "@@0@@", "unit": "mmol/L"},
                "component": [{"code": {"text": f"c{i}"}, **v} for i, v in enumerate(values)],
            },
        }
    )
    text = json.dumps(data, indent=3, ensure_ascii=False)
    for index, written in enumerate(DECIMALS):
        text = text.replace(f'"@@{index}@@"', written)
    return text.encode()


async def granted_artefact(api: Api, pushes: list[tuple[HiType, bytes]]) -> tuple[str, str]:
    """A person whose HIP pushed `pushes` over HTTP, an HIU granted their consent: the
    artefact id and the HIU's key."""
    world = World(api.services)
    person: PersonView = await world.person()
    hip_id, hip_key = await api.verified(name="Apollo Clinic")
    token = await link_token(api.services, hip_id, person)  # the person said yes
    for n, (kind, raw) in enumerate(pushes):
        link = {
            "reference": f"V-{n}",
            "display": "Visit",
            "hi_type": kind.value,
            "date": "2024-03-01",
            "link_token": token,
        }
        linked = await api.call("POST", "/api/v1/hip/care-contexts", json_body=link, key=hip_key)
        assert linked.status == 201, linked.body
        pushed = await api.call(
            "POST",
            f"/api/v1/hip/care-contexts/V-{n}/documents",
            data=raw,
            key=hip_key,
            headers=FHIR,
        )
        assert pushed.status == 201, pushed.body
    hiu_id, key = await api.verified(name="Sanjeevani Hospital")
    await world.doctor(works_at=[hiu_id])
    hi_types = sorted({kind.value for kind, _ in pushes})
    asked = await api.call(
        "POST", ASK, json_body=abdm_body(hiu_id, person.address, hiTypes=hi_types), key=key
    )
    assert asked.status == 201, asked.body
    consent = api.services.consent
    code = (await consent.find_by_id(person.abha_number, asked.body["id"])).code
    await consent.grant(person.abha_number, code, PIN, channel="ussd")
    state = await api.call("GET", f"{ASK}/{asked.body['id']}", key=key)
    [artefact] = state.body["consentArtefacts"]
    return str(artefact["id"]), key


async def test_bundles_come_back_byte_for_byte(api: Api) -> None:
    pushed = with_decimals(bundle(HiType.PRESCRIPTION, date(2024, 3, 1)))
    artefact_id, key = await granted_artefact(api, [(HiType.PRESCRIPTION, pushed)])
    response = await api.client.get(
        f"/api/v1/hiu/consents/{artefact_id}/records", headers={"Authorization": f"Bearer {key}"}
    )
    raw = await response.read()
    assert response.status == 200
    assert pushed.strip() in raw  # the very bytes, spacing and all
    [entry] = json.loads(raw, parse_float=str)["entries"]
    observation = entry["bundle"]["entry"][-1]["resource"]
    values = [c["valueQuantity"]["value"] for c in observation["component"]]
    assert values == list(DECIMALS)
    assert (entry["fhirR4Valid"], entry["fhirR4Problems"]) == (True, [])
    released = json.loads(raw, parse_float=Decimal)["entries"][0]["bundle"]
    entries = Bundle.model_validate(released).entry or []
    observation_model = entries[-1].resource
    assert isinstance(observation_model, Observation)
    assert observation_model.valueQuantity is not None
    assert observation_model.valueQuantity.value == Decimal("7.50")


async def test_a_bundle_failing_r4_is_released_marked(api: Api) -> None:
    data = json.loads(fixture(TOLERATED))
    data["entry"][0]["resource"]["date"] = "2024-03-01T10:00:00+05:30"  # inside the consent
    tolerated, valid = json.dumps(data).encode(), bundle(HiType.PRESCRIPTION, date(2024, 3, 1))
    artefact_id, key = await granted_artefact(
        api, [(HiType.OP_CONSULTATION, tolerated), (HiType.PRESCRIPTION, valid)]
    )
    fetched = await api.call("GET", f"/api/v1/hiu/consents/{artefact_id}/records", key=key)
    assert fetched.status == 200, fetched.body
    marks = {
        e["hiType"]: (e["fhirR4Valid"], e["fhirR4Problems"], e["bundle"])
        for e in fetched.body["entries"]
    }
    ok, problems, released = marks["OPConsultation"]
    assert (ok, problems) == (False, ["entry.9.resource.recommendation.0.forecastStatus"])
    with pytest.raises(ValidationError) as refused:  # R4's own model, at the path we named
        Bundle.model_validate(released)
    assert [e["loc"] for e in refused.value.errors()] == [
        ("entry", 9, "resource", "recommendation", 0, "forecastStatus")
    ]
    ok, problems, released = marks["Prescription"]
    assert (ok, problems) == (True, [])
    Bundle.model_validate(released)
    fields = api.document["components"]["schemas"]["ReleasedRecord"]
    assert {"fhirR4Valid", "fhirR4Problems"} <= set(fields["required"])
