"""The no-phone path over the real USSD endpoint from a worker's phone that already holds six
ABHAs (her family's): the attested enrolment still goes through, because it counts against her
daily quota, not her phone's ABHA cap (tests/core/workers/test_quota.py: nor its OTP limit). The
inputs are those of the recorded Hindi attested journey (tests/golden/workers), replayed here
without its pages: the OTP codes differ once her family is enrolled first."""

from __future__ import annotations

from core.clock import FrozenClock
from core.healthid.models import Person
from testing.golden import GOLDEN_DIR, load
from testing.world import World
from tests.running import Running
from tests.webhooks.journey_phones import PHONE
from tests.webhooks.workers.helpers import WorkerUssdPhone, worker_in_state

FAMILY = ["Sunita", "Ramesh", "Guddi", "Pappu", "Munni", "Chhotu"]


async def test_a_full_phone_still_enrols_someone_with_no_phone(
    running: Running, clock: FrozenClock
) -> None:
    services = running.services
    await worker_in_state(services, "verified")
    world = World(services)
    for n, name in enumerate(FAMILY):
        await world.person(PHONE, first_name=name, handle=f"{name.lower()}.fam{n}0", pin=None)
    assert await Person.filter(mobile=PHONE).count() == services.settings.max_abhas_per_mobile
    script = load(GOLDEN_DIR / "workers" / "ussd_enrol_attested_hi.json")
    phone = WorkerUssdPhone(running.client, services, clock, script["network"])
    last: list[str] = []
    for hop in script["hops"]:
        last = await (phone.dial() if hop.get("dial") else phone.send(hop["send"]))
    made = await Person.filter(mobile=None).all()
    assert len(made) == 1, last
    assert await Person.filter(mobile=PHONE).count() == len(FAMILY)
    events = await services.audit.events(action="worker.enrolled")
    assert [event.detail["consent"] for event in events] == ["attested"]
