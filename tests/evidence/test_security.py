"""Security sweep: after real journeys, no Aadhaar number, OTP or PIN is anywhere in clear (every
table, the state store, every log line down to tortoise's SQL at DEBUG); OTP guessing locks the
mobile; forged or foreign credentials are refused on every door.
"""

from __future__ import annotations

import logging
import random
import re
from collections.abc import AsyncIterator
from dataclasses import asdict, dataclass

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from tortoise import Tortoise

from core.clock import FrozenClock
from core.notify.models import Channel
from core.notify.sms import SmsDeliverer
from core.services import Services, build_services
from core.sms.gateways import LogGateway
from core.state import StateStore
from core.state.memory import MemoryStateStore
from flows.registry import health_engine
from testing.facilities import hospital_draft
from tests.conftest import make_settings
from tests.evidence.fuzzing import routes
from webhooks.app import create_app
from webhooks.sms import twilio_signature

pytestmark = pytest.mark.evidence

ADMIN = "sweep-admin-token-0123456789"
SMS = "sweep-sms-token"
TWILIO = "sweep-twilio-token"
USSD = "sweep-ussd-secret"
AADHAAR = "999999990019"
PIN = "5831"
OTP_TEXT = re.compile(r"(?<!\d)(\d{6})(?!\d) is your Arogya OTP")


class Everything(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@dataclass
class World:
    client: TestClient[web.Request, web.Application]
    services: Services
    gateway: LogGateway
    logs: Everything
    app: web.Application

    async def ussd(self, phone: str, session: str, text: str) -> str:
        form = {
            "sessionId": session,
            "serviceCode": "*384#",
            "phoneNumber": phone,
            "networkCode": "40445",
            "text": text,
        }
        response = await self.client.post("/ussd", data=form, headers={"X-Ussd-Secret": USSD})
        assert response.status == 200
        return await response.text()

    def otps(self) -> list[str]:
        return [m.group(1) for d in self.gateway.deliveries if (m := OTP_TEXT.search(d.text))]


@pytest.fixture
async def world(db: str, state: StateStore, clock: FrozenClock) -> AsyncIterator[World]:
    logs = Everything()
    root = logging.getLogger()
    levels = {name: logging.getLogger(name).level for name in ("", "tortoise", "aiosqlite")}
    root.addHandler(logs)
    for name in levels:
        logging.getLogger(name).setLevel(logging.DEBUG)
    config = make_settings(
        admin_token=ADMIN, sms_api_token=SMS, twilio_auth_token=TWILIO, ussd_secret=USSD
    )
    gateway = LogGateway()
    try:
        async with build_services(
            config, clock=clock, rng=random.Random(11), state=state, sms_gateway=gateway
        ) as services:
            services.notifier.register(Channel.SMS, SmsDeliverer(services.sms))
            app = create_app(services, health_engine(services))
            client = TestClient(TestServer(app))
            await client.start_server()
            try:
                yield World(client, services, gateway, logs, app)
            finally:
                await client.close()
    finally:
        root.removeHandler(logs)
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)


async def journey(world: World, phone: str, session: str, inputs: list[str]) -> str:
    page = await world.ussd(phone, session, "")
    typed: list[str] = []
    for answer in inputs:
        typed.append(world.otps()[-1] if answer == "{otp}" else answer)
        page = await world.ussd(phone, session, "*".join(typed))
    return page


async def dump(world: World) -> str:
    """Every row of every table, and every value in the state store, as text."""
    parts: list[str] = []
    for app_models in Tortoise.apps.values():
        for model in app_models.values():
            parts += [repr(row) for row in await model.all().values()]
    store = world.services.state
    if isinstance(store, MemoryStateStore):
        parts += [raw for _, raw in store._values.values()]
    else:
        redis = store._redis  # type: ignore[attr-defined]
        async for key in redis.scan_iter(match=f"{store._namespace}:*"):  # type: ignore[attr-defined]
            parts.append(f"{key}={await redis.get(key)}")
    return "\n".join(parts)


def found(secret: str, text: str) -> bool:
    """The secret as a value of its own: bounded by anything but letters and digits, so the
    hex of a hash or the base64 of a ciphertext cannot hold it by chance (a 4-digit PIN does
    turn up inside 100 KB of hex), while `'pin': '2580'` or `pin=2580` is found."""
    return re.search(rf"(?<![0-9A-Za-z]){re.escape(secret)}(?![0-9A-Za-z])", text) is not None


async def test_after_full_journeys_no_aadhaar_otp_or_pin_is_kept_or_logged(world: World) -> None:
    aadhaar = ["1", "1", "1", AADHAAR, "{otp}", "1", PIN, PIN, "1"]
    page = await journey(world, "+919876543210", "sweep-1", aadhaar)
    assert "ABHA ready!" in page, page
    mobile = ["1", "2", "{otp}", "Kavya", "2", "1991", "110001", "1", PIN, PIN, "1"]
    page = await journey(world, "+919812345678", "sweep-2", mobile)
    assert "ABHA ready!" in page, page
    page = await journey(world, "+919812345678", "sweep-3", ["2", "1", "{otp}"])
    assert "Kavya" in page, page
    otps = world.otps()
    assert len(otps) >= 3
    everything = await dump(world) + "\n" + "\n".join(world.logs.lines)
    assert any("SELECT" in line for line in world.logs.lines)  # the SQL was logged, values too
    for secret in [AADHAAR, "9999 9999 0019", "9999-9999-0019", *otps, PIN]:
        assert not found(secret, everything), secret


async def test_otp_guessing_locks_the_mobile_even_for_the_right_code(world: World) -> None:
    phone, typed = "+919811122233", ["1", "2"]
    await journey(world, phone, "guess", typed)
    right = world.otps()[-1]
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    pages = [""]
    for _ in range(5):
        if "Having trouble?" in pages[-1]:  # the engine offers help after three mistakes
            typed.append("1")
            pages.append(await world.ussd(phone, "guess", "*".join(typed)))
        typed.append(wrong)
        pages.append(await world.ussd(phone, "guess", "*".join(typed)))
    assert "locked" in pages[-1].lower() or "30 minutes" in pages[-1], pages
    typed.append(right)
    page = await world.ussd(phone, "guess", "*".join(typed))
    assert "Your full name" not in page, page
    again = await journey(world, phone, "guess-2", ["1", "2"])
    assert "Type the OTP" not in again, again  # no new OTP while locked


async def test_forged_and_foreign_credentials_are_refused_on_every_door(world: World) -> None:
    client = world.client
    form = {"sessionId": "s", "serviceCode": "*384#", "phoneNumber": "+919876543210", "text": ""}
    for headers in ({}, {"X-Ussd-Secret": "guess"}, {"X-Ussd-Secret": USSD + "x"}):
        assert (await client.post("/ussd", data=form, headers=headers)).status == 403
    assert (await client.post("/ussd?secret=guess", data=form)).status == 403
    sms = {"id": "m1", "from": "+919876543210", "to": "+919000000000", "text": "ABHA"}
    for auth in (None, "Bearer guess", f"Basic {SMS}", f"Bearer {ADMIN}"):
        headers = {"Authorization": auth} if auth else {}
        assert (await client.post("/sms", json=sms, headers=headers)).status in (401, 403)
    twilio = {"From": "+919876543210", "To": "+919000000000", "Body": "ABHA", "MessageSid": "S1"}
    url = str(client.make_url("/sms/twilio"))
    forged = [
        {},
        {"X-Twilio-Signature": "AAAA"},
        {"X-Twilio-Signature": twilio_signature("other-token", url, twilio.items())},
        {"X-Twilio-Signature": twilio_signature(TWILIO, url + "?x=1", twilio.items())},
    ]
    for headers in forged:
        assert (await client.post("/sms/twilio", data=twilio, headers=headers)).status == 403
    assert list(world.gateway.deliveries) == []  # none of that reached a conversation

    created = await client.post("/api/v1/facilities", json=asdict(hospital_draft()))
    facility_id = (await created.json())["id"]
    admin = {"Authorization": f"Bearer {ADMIN}"}
    verified = await client.post(f"/api/v1/admin/facilities/{facility_id}/verify", headers=admin)
    old_key = (await verified.json())["key"]["api_key"]
    rotated = await client.post(
        "/api/v1/hip/keys/rotate", headers={"Authorization": f"Bearer {old_key}"}
    )
    assert rotated.status == 200
    new_key = (await rotated.json())["key"]["api_key"]
    foreign = {
        "none": {},
        "forged": {"Authorization": "Bearer afk_abcdefgh_" + "a" * 52},
        "revoked": {"Authorization": f"Bearer {old_key}"},
        "admin token as a facility key": admin,
        "sms token": {"Authorization": f"Bearer {SMS}"},
    }
    checked = 0
    for route in routes(world.app):
        if not route.path.startswith("/api/v1/"):
            continue
        path = route.path.replace("{facility_id}", facility_id).replace("{", "x").replace("}", "")
        answer = await client.request(route.method, path, json={})
        if answer.status not in (401, 403):
            continue  # public (search, registration, the OpenAPI document, published keys)
        checked += 1
        kinds = dict(foreign)
        if "/admin/" in path:  # there the admin token is the right key; a facility's is not
            del kinds["admin token as a facility key"]
            kinds["a facility's own key"] = {"Authorization": f"Bearer {new_key}"}
        for kind, headers in kinds.items():
            response = await client.request(route.method, path, json={}, headers=headers)
            assert response.status in (401, 403), (route, kind, response.status)
    assert checked >= 8
