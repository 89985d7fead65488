"""Where a test lives, and the fixtures the whole suite shares.

Where a test lives: under the entry point it drives, mirroring the source tree (tests/README.md).

- tests/core/<package>/: calls core directly, a service or a function of core/<package>/ (or of
  the module core/<package>.py: settings, housekeeping). Helpers two packages share: tests/core/.
- tests/flows/<flow>/: drives the conversation engine without HTTP (`Engine.handle`, a chat) or a
  flow's own functions; tests/flows/engine/ is the engine itself, on the demo flows.
- tests/webhooks/<endpoint>/: HTTP to one endpoint (ussd, sms, api, council, telegram), or that
  module's own functions. A conversation played over both phone endpoints (USSD and SMS) lives in
  tests/webhooks/<flow>/, beside its transcripts in tests/golden/<flow>/; what spans every
  endpoint (the error middleware, the pager, rendering, NUL characters) in tests/webhooks/.
- tests/bot/: aiogram-level, bot/ and the fake Bot API, no webhook in between.
- tests/arogya/: the `arogya` command and the composition root.
- tests/locales/: the catalogs.
- tests/evidence/: whatever is marked `evidence` (faults, scale-out, fuzzing, security against
  real processes; `make evidence` runs this folder).
- Data, not tests: tests/golden/<flow>/ (transcripts), tests/fixtures/abdm/ (ABDM's examples).

Every folder is a package (`__init__.py`), so two test files may share a name. A helper (a phone,
a seed, a fake) sits beside the tests that use it most; a fixture several folders need sits in
their nearest common conftest: for the fixtures at the end of this file, and for the whole system
on loopback (`running`, tests/running.py, loaded below as a plugin), this one.

The backend is chosen by the environment, so the same suite runs twice (see .ci/run):
- `AROGYA_TEST_DATABASE_URL` unset: a fresh SQLite file per test, copied from a migrated template;
  set to a `postgres://` URL: one database per xdist worker, migrated once, truncated per test.
- `AROGYA_TEST_REDIS_URL` unset: in-process state; set: Redis, one logical db flushed per test.
"""

from __future__ import annotations

import asyncio
import os
import random
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from tortoise import Tortoise

from core.clock import FrozenClock
from core.notify.models import Channel
from core.notify.sms import SmsDeliverer
from core.services import Services, build_services
from core.settings import Settings
from core.sms.gateways import LogGateway
from core.state import StateStore
from core.state.memory import MemoryStateStore
from core.storage import close_storage, init_storage, migrate
from testing.fakes.fixtures import telegram_api, telegram_bot
from testing.golden import add_golden_option
from testing.world import World
from tests.core.professionals.helpers import Wiring, build
from tests.flows.find.seed import Directory, seed

if TYPE_CHECKING:
    from tests.running import Running

#: The Telegram fake's fixtures: tests/bot, tests/webhooks/telegram and tests/arogya use them.
__all__ = ["telegram_api", "telegram_bot"]
#: The whole system on loopback (`running`), which tests/flows and tests/webhooks use. A plugin
#: rather than an import: tests/running.py imports `make_settings` from this module.
pytest_plugins = ["tests.running"]

#: Property tests judge behaviour, never speed: on a 2-core machine shared with PostgreSQL, Redis
#: and a second pytest worker, hypothesis's 200 ms deadline and its "generation too slow" check
#: fail by the load, not by the code (speed is measured in bench/).
hypothesis_settings.register_profile(
    "arogya", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("arogya")

POSTGRES_URL = os.environ.get("AROGYA_TEST_DATABASE_URL")
REDIS_URL = os.environ.get("AROGYA_TEST_REDIS_URL")
MIGRATIONS_TABLE = "tortoise_migrations"


def pytest_addoption(parser: pytest.Parser) -> None:
    """`--update-golden` re-records the transcripts in tests/golden (testing.golden)."""
    add_golden_option(parser)


def _worker_id() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


async def _recreate_postgres_database(base_url: str, name: str) -> str:
    import asyncpg

    admin_url = base_url.replace("postgres://", "postgresql://", 1)
    conn = await asyncpg.connect(admin_url)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    prefix, _, _ = base_url.rpartition("/")
    return f"{prefix}/{name}"


@pytest.fixture(scope="session")
def database_template(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A migrated database: a SQLite file to copy, or a PostgreSQL URL to truncate."""
    if POSTGRES_URL:
        url = asyncio.run(_recreate_postgres_database(POSTGRES_URL, f"arogya_test_{_worker_id()}"))
        asyncio.run(migrate(url))
        return url
    path = tmp_path_factory.mktemp("db-template") / "template.sqlite3"
    asyncio.run(migrate(f"sqlite://{path}"))
    return str(path)


async def _truncate_all() -> None:
    conn = Tortoise.get_connection("default")
    rows = await conn.execute_query_dict(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> $1",
        [MIGRATIONS_TABLE],
    )
    if rows:
        names = ", ".join(f'"{row["tablename"]}"' for row in rows)
        await conn.execute_script(f"TRUNCATE {names} RESTART IDENTITY CASCADE")


@pytest.fixture
async def db(database_template: str, tmp_path: Path) -> AsyncIterator[str]:
    """Tortoise initialised on an empty, migrated database; yields its URL."""
    if POSTGRES_URL:
        url = database_template
        await init_storage(url)
        await _truncate_all()
    else:
        path = tmp_path / "arogya.sqlite3"
        shutil.copyfile(database_template, path)
        url = f"sqlite://{path}"
        await init_storage(url)
    try:
        yield url
    finally:
        await close_storage()


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


@pytest.fixture
def rng() -> random.Random:
    return random.Random(20260115)


#: The USSD gateway's shared secret in tests: /ussd is closed without one (webhooks.guard).
TEST_USSD_SECRET = "test-ussd-secret"
#: What a test client of the whole app sends on every request, as a configured gateway would.
GATEWAY_HEADERS = {"X-Ussd-Secret": TEST_USSD_SECRET}


def make_settings(**overrides: Any) -> Settings:
    """Settings for tests: fast PIN and password hashing, test secrets; everything else as in
    production."""
    values: dict[str, Any] = {
        "ussd_secret": TEST_USSD_SECRET,
        "secret_key": "test-secret-key",
        "aadhaar_hmac_key": "test-aadhaar-hmac-key",
        "pin_hash_cost": 2**4,
        "password_hash_cost": 2**4,
        "abha_address_suffix": "sbx",
        # the suite's HIUs are loopback servers; tests of production's callback rules set env
        "env": "development",
    }
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
def settings() -> Settings:
    return make_settings()


@pytest.fixture
async def state() -> AsyncIterator[StateStore]:
    """The state store under test: Redis when AROGYA_TEST_REDIS_URL is set, else in-process."""
    if REDIS_URL:
        from core.state.redis import RedisStateStore

        store = RedisStateStore.from_url(REDIS_URL, namespace=f"test-{_worker_id()}")
        await store.flush_namespace()
        try:
            yield store
        finally:
            await store.flush_namespace()
            await store.close()
    else:
        store_mem = MemoryStateStore()
        yield store_mem
        await store_mem.close()


# Fixtures several folders share (each moved here from the folder that first had it).


@pytest.fixture
async def services(
    db: str, clock: FrozenClock, rng: random.Random, state: StateStore
) -> AsyncIterator[Services]:
    """The real core services, SMS notices delivered to the outbox through the log gateway
    (tests/core/consent, tests/flows/consent; the demo engine's folders have their own)."""
    async with build_services(
        make_settings(), clock=clock, rng=rng, state=state, sms_gateway=LogGateway()
    ) as built:
        built.notifier.register(Channel.SMS, SmsDeliverer(built.sms))
        yield built


@pytest.fixture
def world(services: Services) -> World:
    return World(services)


@pytest.fixture
async def directory(running: Running) -> Directory:
    """A seeded directory of facilities and doctors to find (tests/flows/find/seed.py)."""
    return await seed(running.services)


@pytest.fixture
def hpr(
    db: str, settings: Settings, clock: FrozenClock, rng: random.Random, state: StateStore
) -> Wiring:
    """The professionals registry on the test database, clock, rng and state store."""
    return build(settings, clock, rng, state)
