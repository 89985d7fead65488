"""A consent notice names the requester as the professionals registry does, and only a doctor
who works at the asking facility may be named.

Tried as a HIU: a request naming a real, verified doctor's registration number but with
`requester.name` "Dr. Anyone You Trust", and a request naming a verified doctor who works at
another hospital. Before, the person's SMS showed the HIU's free text, and any facility could
ask in any verified doctor's name.
"""

from __future__ import annotations

from typing import Any

from core.consent.models import ConsentRequest
from core.consent.notice import NOTICE_KEY
from core.notify.models import Notification
from locales import translate
from testing.world import DOCTOR_NAME, DOCTOR_NUMBER, World, abdm_body
from tests.webhooks.api.conftest import Api

ASK = "/api/v1/hiu/consent-requests"


def naming(hiu_id: str, patient: str, name: str, number: str = DOCTOR_NUMBER) -> dict[str, Any]:
    body = abdm_body(hiu_id, patient)
    body["consent"]["requester"]["name"] = name
    body["consent"]["requester"]["identifier"]["value"] = number
    return body


async def test_the_notice_shows_the_registrys_name_not_the_hius(api: Api) -> None:
    world = World(api.services)
    person = await world.person()
    hiu_id, key = await api.verified(name="Sanjeevani Hospital")
    await world.doctor(works_at=[hiu_id])
    body = naming(hiu_id, person.address, "Dr. Anyone You Trust")
    asked = await api.call("POST", ASK, json_body=body, key=key)
    assert asked.status == 201, asked.body
    row = await ConsentRequest.get(id=asked.body["id"])
    assert row.requester_name == DOCTOR_NAME
    [sms] = await Notification.filter(channel="sms", message_key=NOTICE_KEY)
    notice = translate(sms.message_key, sms.lang, **sms.params)
    assert DOCTOR_NAME in notice
    assert "Anyone You Trust" not in notice


async def test_only_a_doctor_of_the_asking_facility_may_be_named(api: Api) -> None:
    world = World(api.services)
    person = await world.person()
    elsewhere, _ = await api.verified(name="Apollo Clinic")
    await world.doctor(works_at=[elsewhere])  # verified, but works at Apollo
    hiu_id, key = await api.verified(name="Sanjeevani Hospital")
    asked = await api.call("POST", ASK, json_body=abdm_body(hiu_id, person.address), key=key)
    assert (asked.status, asked.code) == (403, "consent.requester_not_at_hiu")
    assert await ConsentRequest.all().count() == 0
    hindi = await api.call(
        "POST",
        ASK,
        json_body=abdm_body(hiu_id, person.address),
        key=key,
        headers={"Accept-Language": "hi"},
    )
    assert "डॉक्टर" in hindi.body["error"]["message"]
