"""The PIN's hash cost is its own setting, and a PIN hashed at an older cost keeps working
(issue 18: the PIN's scrypt N lowered to 2^10, officers' passwords kept at theirs).

A holder enrolled while the cost was one value signs in after it changed: the right PIN is
accepted, and the stored hash is then made again at the configured cost; a wrong PIN changes
nothing. Officers' passwords follow `password_hash_cost`, never the PIN's.
"""

from __future__ import annotations

import random

import pytest

from core.clock import FrozenClock
from core.errors import InvalidInput
from core.healthid import numbers, pins
from core.healthid.models import Person
from core.professionals.models import CouncilOfficer
from core.services import build_services
from core.settings import Settings
from core.sms.gateways import LogGateway
from core.state import StateStore
from testing.healthid import build_health_id, enrol_with_mobile, profile
from tests.conftest import make_settings

MOBILE = "+919812345678"
PASSWORD = "a long and unusual passphrase 42"


async def _stored_cost(abha_number: str) -> int:
    person = await Person.get(abha_number=numbers.parse(abha_number))
    assert person.pin_hash is not None
    return pins.cost_of(person.pin_hash)


async def test_an_old_cost_pin_verifies_and_is_rehashed_at_the_configured_cost(
    db: str, clock: FrozenClock, rng: random.Random, state: StateStore
) -> None:
    before = build_health_id(make_settings(pin_hash_cost=2**5), clock, rng, state)
    person = await enrol_with_mobile(before, MOBILE, profile(), pin="5683")
    number = person.abha_number
    assert await _stored_cost(number) == 2**5

    after = build_health_id(make_settings(pin_hash_cost=2**4), clock, rng, state)
    with pytest.raises(InvalidInput, match=r"pin\.invalid"):
        await after.service.verify_pin(number, "5684")
    assert await _stored_cost(number) == 2**5  # a wrong PIN rehashes nothing

    await after.service.verify_pin(number, "5683")
    assert await _stored_cost(number) == 2**4
    await after.service.verify_pin(number, "5683")  # the new hash is the same PIN
    await before.service.verify_pin(number, "5683")  # and reads at any configured cost


def test_pins_and_passwords_have_separate_costs() -> None:
    defaults = Settings(secret_key="k" * 32, aadhaar_hmac_key="a" * 32)
    assert defaults.pin_hash_cost == 2**10  # keyed with secret_key: docs/performance.md
    assert defaults.password_hash_cost == 2**12  # not keyed: its cost is its protection


async def test_officer_passwords_follow_the_password_cost_not_the_pins(
    db: str, clock: FrozenClock, rng: random.Random, state: StateStore
) -> None:
    settings = make_settings(pin_hash_cost=2**4, password_hash_cost=2**5)
    async with build_services(
        settings, clock=clock, rng=rng, state=state, sms_gateway=LogGateway()
    ) as services:
        await services.professionals.officers.create("MH", "mh.registrar", PASSWORD)
    row = await CouncilOfficer.get(username="mh.registrar")
    assert row.password_hash.split("$")[1] == str(2**5), row.password_hash.split("$")[:2]
