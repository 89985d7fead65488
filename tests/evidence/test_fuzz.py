"""Fuzzing every webhook and partner API route with hypothesis: never a 5xx, never an unhandled
exception in the log, whatever arrives.

The app is the real one (`create_app`: USSD, SMS, Twilio, the partner API, the council console,
Telegram when configured) over real services on the suite's database and state store; requests
come with no credentials, random ones, or valid ones (a verified facility's key, the admin
token, the SMS bearer, the USSD secret, a correct Twilio signature), so the fuzzing reaches past
the doors. CI runs `EXAMPLES` requests; `AROGYA_EVIDENCE=full` runs ten times 10,000.
"""

from __future__ import annotations

import logging
import random
from collections.abc import AsyncIterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.clock import FrozenClock
from core.notify.models import Channel
from core.notify.sms import SmsDeliverer
from core.services import Services, build_services
from core.sms.gateways import LogGateway
from core.state import StateStore
from flows.registry import health_engine
from testing.facilities import hospital_draft
from tests.conftest import make_settings
from tests.evidence.fuzzing import FuzzRequest, Route, requests, routes
from tests.evidence.system import FULL
from webhooks.app import create_app
from webhooks.sms import twilio_signature

pytestmark = pytest.mark.evidence

ADMIN = "fuzz-admin-token-0123456789"
SMS = "fuzz-sms-token"
TWILIO = "fuzz-twilio-token"
USSD = "fuzz-ussd-secret"
EXAMPLES = 10_000 if FULL else 400
ROUNDS = 10 if FULL else 1


class Unhandled(logging.Handler):
    """Every log record that carries an exception or is an error: what must not happen."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info or record.levelno >= logging.ERROR:
            self.records.append(record)


@dataclass
class Target:
    client: TestClient[web.Request, web.Application]
    services: Services
    routes: list[Route]
    document: dict[str, Any]
    credentials: dict[str, dict[str, str]]
    watcher: Unhandled
    sent: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    #: (status, method and route, what was logged): distinct kinds of failure.
    failures: list[tuple[int, str, str]] = field(default_factory=list)


@pytest.fixture
async def target(db: str, state: StateStore, clock: FrozenClock) -> AsyncIterator[Target]:
    config = make_settings(
        admin_token=ADMIN, sms_api_token=SMS, twilio_auth_token=TWILIO, ussd_secret=USSD
    )
    async with build_services(
        config, clock=clock, rng=random.Random(5), state=state, sms_gateway=LogGateway()
    ) as services:
        services.notifier.register(Channel.SMS, SmsDeliverer(services.sms))
        app = create_app(services, health_engine(services))
        client = TestClient(TestServer(app))
        await client.start_server()
        try:
            key = await verified_facility(client)
            document = await (await client.get("/api/v1/openapi.json")).json()
            credentials = {
                "facility": {"Authorization": f"Bearer {key}"},
                "admin": {"Authorization": f"Bearer {ADMIN}"},
                "sms": {"Authorization": f"Bearer {SMS}"},
                "ussd": {"X-Ussd-Secret": USSD},
                "twilio": {"X-Twilio-Signature": "sign-me"},
            }
            watcher = Unhandled()
            logging.getLogger().addHandler(watcher)
            made = Target(client, services, routes(app), document, credentials, watcher)
            try:
                yield made
            finally:
                logging.getLogger().removeHandler(watcher)
            report(made)
        finally:
            await client.close()
        assert sorted(set(made.failures)) == []


def report(target: Target) -> None:
    """The round's figures, for docs/evidence.md (printed, and kept under var/evidence/)."""
    statuses = dict(sorted(target.statuses.items()))
    line = (
        f"fuzz: {target.sent} requests over {len(target.routes)} routes, statuses "
        f"{statuses}, {len(target.failures)} failures"
    )
    kinds = sorted(set(target.failures))
    line += "".join(f"\n  {status} {where}: {logged}" for status, where, logged in kinds)
    print(line)
    if FULL:
        log = Path("var/evidence/fuzz.log")
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("a") as out:
            out.write(line + "\n")


async def verified_facility(client: TestClient[web.Request, web.Application]) -> str:
    draft = asdict(hospital_draft())
    created = await client.post("/api/v1/facilities", json=draft)
    assert created.status == 201, await created.text()
    facility_id = (await created.json())["id"]
    verified = await client.post(
        f"/api/v1/admin/facilities/{facility_id}/verify",
        headers={"Authorization": f"Bearer {ADMIN}"},
    )
    assert verified.status == 200, await verified.text()
    return str((await verified.json())["key"]["api_key"])


async def send(target: Target, request: FuzzRequest) -> int:
    headers = dict(request.headers)
    if headers.get("X-Twilio-Signature") == "sign-me":  # a genuine signature over this request
        url = str(target.client.make_url(request.path))
        form = parse_qsl((request.body or b"").decode("utf-8", "replace"), keep_blank_values=True)
        headers["X-Twilio-Signature"] = twilio_signature(TWILIO, url, form)
    response = await target.client.request(
        request.method,
        request.path,
        data=request.body,
        headers=headers,
        allow_redirects=False,
    )
    await response.read()
    target.sent += 1
    target.statuses[response.status] = target.statuses.get(response.status, 0) + 1
    return response.status


@pytest.mark.parametrize("round_", range(ROUNDS))
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=not FULL,
    suppress_health_check=list(HealthCheck),
)
@given(data=st.data())
async def test_no_request_gets_a_5xx_or_an_unhandled_exception(
    target: Target, round_: int, data: st.DataObject
) -> None:
    """Failures are collected, not raised: the app's state moves on between examples (rate
    limits, stored records), so hypothesis could not replay one to shrink it. The `target`
    fixture fails the test at teardown with every distinct failure it saw."""
    strategy = requests(target.routes, target.document, "/api/v1", target.credentials)
    request = data.draw(strategy)
    before = len(target.watcher.records)
    status = await send(target, request)
    if status >= 500 or len(target.watcher.records) > before:
        logged = "; ".join(
            r.getMessage()[:80]
            + (f" ({r.exc_info[0].__name__})" if r.exc_info and r.exc_info[0] else "")
            for r in target.watcher.records[before:]
        )
        target.failures.append((status, f"{request.method} {request.route}", logged))
