"""An ABHA a health worker made, with the beneficiary's own mobile, then deleted ("This wasn't
me"): after the grace period the walk of every table finds nothing of the person, not in the
worker's enrolment log either (its row keeps the worker and the ABHA number, not the mobile)."""

from __future__ import annotations

from core.clock import FrozenClock
from core.healthid.models import Person
from core.healthid.profile import SelfDeclaredProfile
from core.housekeeping import tidy
from core.services import Services
from core.workers.models import AssistedEnrolment, ConsentKind
from tests.core.leaving.test_leaving import rows_mentioning, walk_database
from tests.core.workers.test_assisted import verified
from tests.webhooks.journey_phones import Inbox

PERSON = "+919812345678"
NAME = "Ramvati"


async def worker_made(services: Services) -> str:
    """The mobile-consent path as the conversation runs it; returns the ABHA number."""
    worker = await verified(services)
    assisted = services.workers.assisted
    started = await assisted.begin(worker, ConsentKind.MOBILE)
    assisted.check_beneficiary_mobile(worker, PERSON)
    ticket = await services.healthid.start_mobile(PERSON, lang="hi", channel="ussd")
    await assisted.waiting(started.id, txn_id=ticket.txn_id, mobile=PERSON)
    code = await Inbox(services, PERSON).last_otp()
    draft = (await services.healthid.verify_mobile(ticket.txn_id, code)).draft_id
    profile = SelfDeclaredProfile(
        first_name=NAME,
        last_name="Devi",
        year_of_birth=1970,
        gender="F",
        state_lgd=9,
        district_lgd=162,
        pin_code="226001",
    )
    await services.healthid.set_profile(draft, profile)
    handle = (await services.healthid.suggest_addresses(draft))[0]
    await services.healthid.choose_address(draft, handle)
    person = await assisted.finish(started.id, worker, draft, channel="ussd", lang="hi")
    return person.abha_number


async def test_a_deleted_worker_made_abha_leaves_nothing_in_her_log(
    services: Services, clock: FrozenClock
) -> None:
    number = await worker_made(services)
    person_id = (await Person.get(abha_number=number.replace("-", ""))).id
    disown = services.leaving.disown
    ticket = await disown.start(number, PERSON, lang="hi", channel="sms")
    await disown.confirm(ticket.txn_id, await Inbox(services, PERSON).last_otp(), channel="sms")

    await tidy(services)  # at once: the log's row of a deleted ABHA drops the mobile
    row = await AssistedEnrolment.get(abha_number=number.replace("-", ""))
    assert row.beneficiary_mobile is None

    clock.advance(days=7, seconds=1)
    await tidy(services)
    needles = (NAME, PERSON, PERSON.removeprefix("+91"), "226001")
    walked = await walk_database()
    walked["healthid.Person"] = [
        {**r, "address": "(kept)"} if r["id"] == person_id else r for r in walked["healthid.Person"]
    ]
    found = {t: hit for t, rows in walked.items() if (hit := rows_mentioning(rows, needles))}
    assert found == {}, "\n".join(f"{t}: {r}" for t, r in found.items())
    # the worker is still named on the row: registered_by survives the person
    assert await services.workers.assisted.registered_by(number) is not None
