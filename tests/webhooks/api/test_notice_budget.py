"""A facility cannot flood a person's phone: notices it causes are bounded per day.

Tried over the real app (partner API, notifier, SMS outbox): one facility asks for a link token
and then pushes 11 records for one person in a day. Before, every one became an SMS. Now the
link-request SMS and the record notices draw on one budget per facility, per person, per day
(AROGYA_NOTICES_PER_FACILITY_PER_DAY, 10 by default): the 10 first are sent, the rest are
withheld and audited (`notice.withheld`), every record is stored, and another facility has its
own budget; the next day the budget is whole again.
"""

from __future__ import annotations

from core.clock import FrozenClock
from core.healthid.views import PersonView
from core.records.models import HealthRecord
from testing.linking import link_token
from testing.records import fixture
from tests.running import ADMIN_TOKEN, Running
from tests.webhooks.api.conftest import registration
from tests.webhooks.api.test_record_notice import a_person, verified_facility

PRESCRIPTION = "MAXRVH9999PrescriptionDoc20160805.json"
MOBILE = "+919876543210"


async def push_visits(
    running: Running, person: PersonView, facility_id: str, key: str, *refs: str
) -> None:
    auth = {"Authorization": f"Bearer {key}"}
    token = await link_token(running.services, facility_id, person)
    for ref in refs:
        link = {
            "reference": ref,
            "display": "OPD visit",
            "hi_type": "Prescription",
            "date": "2026-01-10",
            "link_token": token,
        }
        answer = await running.client.post("/api/v1/hip/care-contexts", json=link, headers=auth)
        assert answer.status == 201, await answer.text()
        path = f"/api/v1/hip/care-contexts/{ref}/documents"
        push = {**auth, "Content-Type": "application/fhir+json"}
        answer = await running.client.post(path, data=fixture(PRESCRIPTION), headers=push)
        assert answer.status == 201, await answer.text()


async def sent_keys(running: Running) -> list[str]:
    await running.services.notifier.deliver_due()
    return [row.message_key for row in await running.services.sms.sent_to(MOBILE)]


async def test_one_facility_cannot_flood_a_persons_phone(
    running: Running, clock: FrozenClock
) -> None:
    person = await a_person(running)
    facility_id, key = await verified_facility(running)
    await push_visits(running, person, facility_id, key, *(f"OPD-{n}" for n in range(11)))
    keys = await sent_keys(running)
    assert keys.count("sms.link.code") == 1
    # One SMS for the visits pushed back to back (review D15: the same SMS, once); the budget
    # still counts every notice, so two of the eleven were withheld all the same.
    assert keys.count("notify.record.new") == 1
    assert await HealthRecord.all().count() == 11  # withheld notices, not withheld records
    withheld = await running.services.audit.events(action="notice.withheld")
    assert [(e.actor, e.detail["kind"]) for e in withheld] == [(facility_id, "record")] * 2

    # Another facility has its own budget the same day.
    other = await running.client.post("/api/v1/facilities", json=registration(name="City Clinic"))
    assert other.status == 201
    other_id, other_key = await _verify(running, str((await other.json())["id"]))
    await push_visits(running, person, other_id, other_key, "CITY-1")
    assert (await sent_keys(running)).count("notify.record.new") == 2

    clock.advance(days=1)  # a new day: the first facility may tell the person again
    await push_visits(running, person, facility_id, key, "OPD-NEXT")
    assert (await sent_keys(running)).count("notify.record.new") == 3


async def _verify(running: Running, facility_id: str) -> tuple[str, str]:
    admin = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    answer = await running.client.post(
        f"/api/v1/admin/facilities/{facility_id}/verify", headers=admin
    )
    assert answer.status == 200, await answer.text()
    return facility_id, (await answer.json())["key"]["api_key"]
