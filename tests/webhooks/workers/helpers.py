"""A health worker's phone for whole journeys, and the registry states a journey starts from.

The worker's phone is the journey phone (`tests.webhooks.journey_phones.PHONE`); the person she
enrols has a phone of their own (`BENEFICIARY`), whose SMS (their OTP, their new ABHA) show in
the transcript as "To the person: ...", and whose OTP the worker types as `{person_otp}` (read
out to her from their phone).
"""

from __future__ import annotations

from core.clock import FrozenClock
from core.services import Services
from core.workers.officers import OfficerIdentity
from core.workers.views import WorkerView
from testing.professionals import PASSWORD
from tests.webhooks.journey_phones import PHONE, Inbox, JourneyUssdPhone
from tests.webhooks.phones import ENGLISH_CIRCLE, Client

BENEFICIARY = "+919812345678"
#: Lucknow's LGD district code.
DISTRICT = 162
OFFICER = "moic.lucknow"


async def district_officer(services: Services, username: str = OFFICER) -> OfficerIdentity:
    return await services.workers.officers.create(username, PASSWORD, district_lgd=DISTRICT)


async def registered_worker(services: Services, mobile: str = PHONE) -> WorkerView:
    """A PENDING ASHA of Lucknow, registered as the conversation does (an OTP to her phone)."""
    workers = services.workers
    ticket = await workers.start_mobile_verification(mobile, "en")
    code = await Inbox(services, mobile).last_otp()
    await workers.verify_mobile(ticket.txn_id, code)
    return await workers.register(
        name="Sunita Devi",
        role="ASHA",
        mobile_txn_id=ticket.txn_id,
        facility_id=None,
        district_lgd=DISTRICT,
        channel="ussd",
        lang="en",
    )


async def worker_in_state(services: Services, state: str, mobile: str = PHONE) -> None:
    """`none`, `pending`, `verified` or `withdrawn`: where a journey's worker starts."""
    if state == "none":
        return
    worker = await registered_worker(services, mobile)
    if state == "pending":
        return
    officer = await district_officer(services)
    await services.workers.verify(worker.worker_id, officer, channel="web")
    if state == "withdrawn":
        await services.workers.withdraw(
            worker.worker_id, officer, "left the programme", channel="web"
        )


class WorkerUssdPhone(JourneyUssdPhone):
    """The worker's USSD phone, and what reaches the person she is enrolling."""

    def __init__(
        self, client: Client, services: Services, clock: FrozenClock, network: str = ENGLISH_CIRCLE
    ) -> None:
        super().__init__(client, services, clock, network)
        self.person = Inbox(services, BENEFICIARY)

    async def _theirs(self) -> list[str]:
        return [f"To the person: {text}" for text in await self.person.new(replies=False)]

    async def dial(self) -> list[str]:
        return [*(await super().dial()), *(await self._theirs())]

    async def send(self, text: str) -> list[str]:
        if "{person_otp}" in text:
            text = text.replace("{person_otp}", await self.person.last_otp())
        return [*(await super().send(text)), *(await self._theirs())]
