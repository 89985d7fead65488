"""Council officer accounts and console sessions."""

from __future__ import annotations

import random

import pytest

from core.errors import Conflict, Forbidden, InvalidInput, Locked, NotFound
from core.professionals.models import CouncilOfficer, OfficerSession
from core.professionals.passwords import hash_password, password_matches
from testing.professionals import PASSWORD
from tests.core.professionals.helpers import Wiring, officer


async def test_an_officer_is_created_with_a_salted_scrypt_hash(hpr: Wiring) -> None:
    created = await hpr.registry.officers.create("mh", "  Asha.Patil ", PASSWORD)
    twin = await hpr.registry.officers.create("GJ", "ravi", PASSWORD)

    assert (created.council, created.username) == ("MH", "asha.patil")
    rows = {row.username: row for row in await CouncilOfficer.all()}
    assert rows["asha.patil"].password_hash.startswith("scrypt$16$8$1$")
    assert PASSWORD not in rows["asha.patil"].password_hash
    assert rows["asha.patil"].password_hash != rows["ravi"].password_hash  # salted
    assert password_matches(PASSWORD, rows["ravi"].password_hash)
    assert twin.actor == "officer:GJ:ravi"
    events = await hpr.audit.events(action="council.officer_created")
    assert [(e.subject, e.channel) for e in events] == [
        ("officer:MH:asha.patil", "cli"),
        ("officer:GJ:ravi", "cli"),
    ]


@pytest.mark.parametrize(
    ("council", "username", "password", "code"),
    [
        ("XX", "asha", PASSWORD, "hpr.council_unknown"),
        ("MH", "a", PASSWORD, "officer.invalid"),
        ("MH", "<script>", PASSWORD, "officer.invalid"),
        ("MH", "asha", "short", "officer.invalid"),
        ("MH", "asha", " " * 20, "officer.invalid"),
    ],
)
async def test_bad_accounts_are_refused(
    hpr: Wiring, council: str, username: str, password: str, code: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        await hpr.registry.officers.create(council, username, password)
    assert refused.value.code == code
    assert await CouncilOfficer.all().count() == 0


async def test_a_username_is_taken_once(hpr: Wiring) -> None:
    await officer(hpr, username="asha")
    with pytest.raises(Conflict):
        await officer(hpr, "GJ", username="ASHA")


async def test_sign_in_checks_the_password(hpr: Wiring) -> None:
    created = await officer(hpr)
    assert await hpr.registry.officers.authenticate("MH.Registrar", PASSWORD) == created
    for username, password in (("mh.registrar", PASSWORD + "x"), ("nobody", PASSWORD)):
        with pytest.raises(Forbidden) as refused:
            await hpr.registry.officers.authenticate(username, password)
        assert refused.value.code == "officer.bad_credentials"


async def test_repeated_failures_lock_the_account(hpr: Wiring) -> None:
    await officer(hpr)
    accounts = hpr.registry.officers
    for _ in range(4):
        with pytest.raises(Forbidden):
            await accounts.authenticate("mh.registrar", "wrong password!")
    with pytest.raises(Locked) as locked:
        await accounts.authenticate("mh.registrar", "wrong password!")
    assert locked.value.params["minutes"] == 15
    with pytest.raises(Locked):  # even the right password, while locked
        await accounts.authenticate("mh.registrar", PASSWORD)
    assert [e.action for e in await hpr.audit.events(action="council.officer_locked")] == [
        "council.officer_locked"
    ]

    hpr.clock.advance(minutes=15)
    assert (await accounts.authenticate("mh.registrar", PASSWORD)).council == "MH"


async def test_an_administrator_can_unlock_and_deactivate(hpr: Wiring) -> None:
    await officer(hpr)
    accounts = hpr.registry.officers
    for _ in range(5):
        with pytest.raises((Forbidden, Locked)):
            await accounts.authenticate("mh.registrar", "wrong password!")
    await accounts.unlock("mh.registrar")
    await accounts.authenticate("mh.registrar", PASSWORD)

    registrar = await accounts.authenticate("mh.registrar", PASSWORD)
    token, _ = await hpr.registry.sessions.open(registrar, "en")
    assert await hpr.registry.sessions.resolve(token) is not None
    await accounts.set_password("mh.registrar", "a brand new passphrase")
    assert await hpr.registry.sessions.resolve(token) is None  # the old session ended with it
    with pytest.raises(Forbidden):
        await accounts.authenticate("mh.registrar", PASSWORD)
    await accounts.deactivate("mh.registrar")
    with pytest.raises(Forbidden):
        await accounts.authenticate("mh.registrar", "a brand new passphrase")
    with pytest.raises(NotFound):
        await accounts.unlock("nobody")


async def test_sessions_expire_when_idle_or_old_and_end_at_sign_out(hpr: Wiring) -> None:
    registrar = await officer(hpr)
    sessions = hpr.registry.sessions
    token, session = await sessions.open(registrar, "hi")
    assert len(token) >= 43
    assert len(session.csrf_token) == 48
    assert not await OfficerSession.filter(token_hash=token).exists()  # only the hash is stored
    resolved = await sessions.resolve(token)
    assert resolved is not None
    assert resolved.officer == registrar
    assert resolved.language == "hi"
    await sessions.set_language(token, "en")
    assert (await sessions.resolve(token)).language == "en"  # type: ignore[union-attr]

    # active every 29 minutes: alive until the 12-hour end
    for _ in range(24):
        hpr.clock.advance(minutes=29)
        assert await sessions.resolve(token) is not None
    hpr.clock.advance(minutes=29)
    assert await sessions.resolve(token) is None
    assert await OfficerSession.all().count() == 0

    idle, _ = await sessions.open(registrar, "en")
    hpr.clock.advance(minutes=30)
    assert await sessions.resolve(idle) is None

    closed, _ = await sessions.open(registrar, "en")
    await sessions.close(closed)
    assert await sessions.resolve(closed) is None
    assert await sessions.resolve("") is None
    assert await sessions.resolve("x" * 500) is None


async def test_a_deactivated_officers_sessions_stop_working(hpr: Wiring) -> None:
    registrar = await officer(hpr)
    token, _ = await hpr.registry.sessions.open(registrar, "en")
    await hpr.registry.officers.deactivate("mh.registrar")
    assert await hpr.registry.sessions.resolve(token) is None


def test_password_hashes_carry_their_cost() -> None:
    stored = hash_password("some passphrase", random.Random(1), cost=2**4)
    assert password_matches("some passphrase", stored)
    assert not password_matches("some passphrase ", stored)
    assert not password_matches("some passphrase", "bcrypt$whatever")
    assert not password_matches("some passphrase", "scrypt$x$8$1$00$00")
