"""The partner API on a real aiohttp server on loopback, over the real core services.

The app is built as `webhooks.app.create_app` builds its own (the same JSON error middleware
and the same 1 MiB `client_max_size`) plus `setup_partner_api`; it does not need an engine.
Every answer a test receives through `Api.call` is checked against the OpenAPI document the
server itself serves, so each test also proves the document right.
"""

from __future__ import annotations

import json
import random
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
from dataclasses import asdict, dataclass, field
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from multidict import CIMultiDictProxy

from core.clock import FrozenClock
from core.healthid.aadhaar_gateway import SandboxAadhaarGateway
from core.healthid.drafts import DraftStore
from core.healthid.views import PersonView
from core.records.views import StoredRecord
from core.services import Services, build_services
from core.sms.gateways import LogGateway
from core.state import StateStore
from testing.facilities import hospital_draft
from testing.healthid import HealthIdWiring, enrol_with_aadhaar, enrol_with_mobile, profile
from tests.conftest import make_settings
from tests.webhooks.api.schema_check import response_problems
from webhooks.api import setup_partner_api
from webhooks.app import MIDDLEWARES
from webhooks.keys import SERVICES

ADMIN_TOKEN = "admin-token-for-tests-0123456789"


@dataclass(frozen=True)
class Answer:
    status: int
    body: Any
    headers: CIMultiDictProxy[str]

    @property
    def code(self) -> str:
        return str(self.body["error"]["code"])


@dataclass
class Api:
    """A client for the running API that checks every answer against its OpenAPI document."""

    client: TestClient[web.Request, web.Application]
    services: Services
    #: What the on_record_stored hook was called with, in order.
    announced: list[StoredRecord] = field(default_factory=list)
    #: Raised by the hook after it records its call (a notifier that is down).
    hook_error: Exception | None = None
    document: dict[str, Any] = field(default_factory=dict)

    async def call(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        data: Any = None,
        headers: dict[str, str] | None = None,
        key: str | None = None,
        admin: str | None = None,
    ) -> Answer:
        sent = dict(headers or {})
        if key is not None:
            sent["Authorization"] = f"Bearer {key}"
        if admin is not None:
            sent["Authorization"] = f"Bearer {admin}"
        if json_body is not None:
            data = json.dumps(json_body).encode()
            sent.setdefault("Content-Type", "application/json")
        response = await self.client.request(method, path, data=data, headers=sent)
        raw = await response.read()
        if raw:
            assert response.content_type == "application/json", raw[:200]
        body = json.loads(raw) if raw else None
        if self.document:
            problems = response_problems(
                self.document, method, response.url.path, response.status, body
            )
            assert not problems, problems
        return Answer(response.status, body, response.headers)

    async def register(self, **overrides: Any) -> str:
        """Register a facility over HTTP; its id."""
        answer = await self.call("POST", "/api/v1/facilities", json_body=registration(**overrides))
        assert answer.status == 201, answer.body
        return str(answer.body["id"])

    async def verified(self, **overrides: Any) -> tuple[str, str]:
        """Register and verify over HTTP: the facility id and its key."""
        facility_id = await self.register(**overrides)
        path = f"/api/v1/admin/facilities/{facility_id}/verify"
        answer = await self.call("POST", path, admin=ADMIN_TOKEN)
        assert answer.status == 200, answer.body
        return facility_id, str(answer.body["key"]["api_key"])


def registration(**overrides: Any) -> dict[str, Any]:
    """A valid registration body (the hospital of tests/core/facilities), any field overridden."""
    body = asdict(hospital_draft())
    body.update(overrides)
    return body


Serve = Callable[..., Awaitable[Api]]


@pytest.fixture
async def serve(
    db: str, clock: FrozenClock, rng: random.Random, state: StateStore
) -> AsyncIterator[Serve]:
    """Start a server: settings overridden per call, admin token and hook options too."""
    async with AsyncExitStack() as stack:

        async def start(
            *,
            admin_token: str | None = ADMIN_TOKEN,
            registrations_per_hour: int = 10,
            hook: bool = True,
            **settings: Any,
        ) -> Api:
            services = await stack.enter_async_context(
                build_services(
                    make_settings(**settings),
                    clock=clock,
                    rng=rng,
                    state=state,
                    sms_gateway=LogGateway(),
                )
            )
            app = web.Application(middlewares=MIDDLEWARES, client_max_size=1024**2)
            app[SERVICES] = services
            api = Api(TestClient(TestServer(app)), services)

            async def remember(stored: StoredRecord) -> None:
                api.announced.append(stored)
                if api.hook_error is not None:
                    raise api.hook_error

            setup_partner_api(
                app,
                admin_token=admin_token,
                on_record_stored=remember if hook else None,
                registrations_per_hour=registrations_per_hour,
            )
            await api.client.start_server()
            stack.push_async_callback(api.client.close)
            api.document = await (await api.client.get("/api/v1/openapi.json")).json()
            return api

        yield start


@pytest.fixture
async def api(serve: Serve) -> Api:
    return await serve()


def health_id(services: Services) -> HealthIdWiring:
    """The enrolment helpers' wiring, over the services the server runs on."""
    assert isinstance(services.aadhaar, SandboxAadhaarGateway)
    return HealthIdWiring(
        services.healthid,
        services.otp,
        services.sms,
        LogGateway(),
        services.aadhaar,
        services.audit,
        DraftStore(services.state, services.settings.conversation_ttl_seconds),
    )


@pytest.fixture
async def person(api: Api) -> PersonView:
    """An ABHA with an ABHA number (Aadhaar OTP): partners may name it by number or address.
    One made with a mobile alone has only an address to be named by (`self_declared`)."""
    wiring = health_id(api.services)
    return await enrol_with_aadhaar(wiring, "999999990026", "98765 43210", handle="sunita.devi")


@pytest.fixture
async def self_declared(api: Api) -> PersonView:
    """An ABHA made with a mobile alone: its `abha_number` is the registry's internal key."""
    wiring = health_id(api.services)
    return await enrol_with_mobile(wiring, "98765 43211", profile(), handle="sunita.mobile")


@pytest.fixture
async def hospital(api: Api) -> tuple[str, str]:
    """A verified hospital: its id and key, both obtained over HTTP."""
    return await api.verified()
