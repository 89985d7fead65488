"""Records on the real test database: a real Health ID (enrolled through its service), a real
facility registry and audit log, and a RecordService sealing under a test keyring."""

from __future__ import annotations

import random
from dataclasses import dataclass

import pytest

from core.audit.service import AuditLog
from core.channels.service import ChannelService
from core.clock import FrozenClock
from core.facilities.service import FacilityService
from core.facilities.views import FacilityView, IssuedKey
from core.healthid.views import PersonView
from core.notify.service import Notifier
from core.records.link_notice import LinkChats
from core.records.linking import LinkService
from core.records.notices import NoticeBudget
from core.records.service import RecordService
from core.records.vault import Keyring
from core.settings import Settings
from core.sms.gateways import LogGateway
from core.sms.outbox import SmsService
from core.state import StateStore
from core.state.memory import MemoryStateStore
from testing.facilities import hospital_draft, verified_facility
from testing.healthid import HealthIdWiring, build_health_id, enrol_with_mobile, profile
from testing.linking import held_token
from tests.conftest import make_settings

#: The secret link tokens are keyed with (the suite's AROGYA_SECRET_KEY).
SECRET = "test-secret-key"
#: A fixed test key (32 bytes); production keys come from AROGYA_RECORDS_KEYS.
TEST_KEY = bytes(range(32))


@dataclass(frozen=True)
class Partner:
    facility: FacilityView
    key: IssuedKey
    #: Where this facility's link tokens come from (the person's say-so, by SMS code).
    links: LinkService
    sms: SmsService

    async def token(self, person: PersonView) -> str:
        """The live link token this facility holds for `person` (asked for once)."""
        return await held_token(self.links, self.sms, self.facility, person)


@pytest.fixture
def health(db: str, settings: Settings, clock: FrozenClock, rng: random.Random) -> HealthIdWiring:
    return build_health_id(settings, clock, rng)


@pytest.fixture
def audit(health: HealthIdWiring) -> AuditLog:
    return health.audit


@pytest.fixture
def facilities(audit: AuditLog, clock: FrozenClock, rng: random.Random) -> FacilityService:
    return FacilityService(clock, rng, audit)


@pytest.fixture
def keyring() -> Keyring:
    return Keyring([("k1", TEST_KEY)])


@pytest.fixture
def links(
    health: HealthIdWiring, clock: FrozenClock, rng: random.Random, state: StateStore
) -> LinkService:
    notices = NoticeBudget(SECRET, state, health.audit, clock, per_day=10)
    return LinkService(
        SECRET,
        clock,
        rng,
        state,
        health.sms,
        notices,
        chats=link_chats(health.audit, clock, rng),
        audit=health.audit,
        abha_address_suffix="sbx",
    )


def link_chats(audit: AuditLog, clock: FrozenClock, rng: random.Random) -> LinkChats:
    """The chat side of a link request's notice, on the real channels registry."""
    return LinkChats(ChannelService(clock, audit), Notifier(clock, rng))


def make_records(
    audit: AuditLog,
    clock: FrozenClock,
    rng: random.Random,
    keyring: Keyring,
    links: LinkService | None = None,
    **options: int,
) -> RecordService:
    """A RecordService; without `links`, one that checks tokens against the same secret."""
    if links is None:
        sms = SmsService(make_settings(), clock, LogGateway(), rng)
        state = MemoryStateStore()
        notices = NoticeBudget(SECRET, state, audit, clock, per_day=10)
        links = LinkService(
            SECRET,
            clock,
            rng,
            state,
            sms,
            notices,
            chats=link_chats(audit, clock, rng),
            audit=audit,
            abha_address_suffix="sbx",
        )
    return RecordService(
        clock,
        rng,
        audit,
        keyring,
        links,
        digest_secret=SECRET,
        abha_address_suffix="sbx",
        **options,
    )


@pytest.fixture
def records(
    audit: AuditLog, clock: FrozenClock, rng: random.Random, keyring: Keyring, links: LinkService
) -> RecordService:
    return make_records(audit, clock, rng, keyring, links)


@pytest.fixture
async def person(health: HealthIdWiring) -> PersonView:
    return await enrol_with_mobile(health, "98765 43210", profile(), handle="sunita.devi")


@pytest.fixture
async def neighbour(health: HealthIdWiring) -> PersonView:
    other = profile(first_name="Ramesh", last_name="Kumar", gender="M")
    return await enrol_with_mobile(health, "91234 56789", other, handle="ramesh.kumar")


@pytest.fixture
async def hospital(
    facilities: FacilityService, links: LinkService, health: HealthIdWiring
) -> Partner:
    return Partner(*await verified_facility(facilities), links, health.sms)


@pytest.fixture
async def lab(facilities: FacilityService, links: LinkService, health: HealthIdWiring) -> Partner:
    draft = hospital_draft(name="Sanjeevani Pathology", facility_type="diagnostic_lab")
    return Partner(*await verified_facility(facilities, draft), links, health.sms)
