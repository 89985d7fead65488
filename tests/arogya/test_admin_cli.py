"""`arogya admin`: officer accounts from the command line, passwords from stdin only."""

from __future__ import annotations

import argparse
import io
from pathlib import Path

import pytest

from arogya.admin import add_admin_commands, admin, run_admin
from core.audit.models import AuditEvent
from core.professionals.models import CouncilOfficer
from core.professionals.passwords import password_matches
from testing.professionals import PASSWORD
from tests.conftest import make_settings
from tests.core.professionals.helpers import Wiring


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="arogya")
    add_admin_commands(parser.add_subparsers(dest="command", required=True))
    return parser.parse_args(argv)


def test_a_password_is_never_an_argument(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        parse("admin", "add-officer", "--council", "MH", "--username", "asha")
    assert "--password-stdin" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        parse("admin", "add-officer", "--council", "MH", "--username", "a", "--password", "x")


async def test_officers_are_managed_from_the_command_line(hpr: Wiring) -> None:
    accounts = hpr.registry.officers
    out = io.StringIO()
    args = parse(
        "admin", "add-officer", "--council", "mh", "--username", "Asha.Patil", "--password-stdin"
    )
    assert await admin(args, accounts, io.StringIO(PASSWORD + "\n"), out) == 0
    assert out.getvalue() == "created asha.patil for council MH\n"
    row = await CouncilOfficer.get(username="asha.patil")
    assert password_matches(PASSWORD, row.password_hash)
    assert (await AuditEvent.get(action="council.officer_created")).actor == "cli:admin"

    args = parse("admin", "set-officer-password", "--username", "asha.patil", "--password-stdin")
    await admin(args, accounts, io.StringIO("a new long passphrase\r\n"), out)
    await accounts.authenticate("asha.patil", "a new long passphrase")
    await admin(
        parse("admin", "unlock-officer", "--username", "asha.patil"), accounts, io.StringIO(), out
    )
    await admin(
        parse("admin", "deactivate-officer", "--username", "asha.patil"),
        accounts,
        io.StringIO(),
        out,
    )
    assert not (await CouncilOfficer.get(username="asha.patil")).active

    listing = io.StringIO()
    await admin(parse("admin", "list-councils"), accounts, io.StringIO(), listing)
    assert "MH\tMaharashtra Medical Council\n" in listing.getvalue()
    assert len(listing.getvalue().splitlines()) == 32


async def test_run_admin_migrates_and_reports_refusals(tmp_path: Path) -> None:
    settings = make_settings(database_url=f"sqlite://{tmp_path / 'admin.sqlite3'}")
    out, err = io.StringIO(), io.StringIO()
    args = parse(
        "admin", "add-officer", "--council", "GJ", "--username", "ravi", "--password-stdin"
    )
    assert await run_admin(args, settings, stdin=io.StringIO(PASSWORD), stdout=out) == 0
    assert await run_admin(args, settings, stdin=io.StringIO(PASSWORD), stderr=err) == 1
    assert err.getvalue() == "arogya admin: The username ravi is already taken.\n"
    err = io.StringIO()
    short = parse("admin", "add-officer", "--council", "XX", "--username", "x1", "--password-stdin")
    assert await run_admin(short, settings, stdin=io.StringIO("short"), stderr=err) == 1
    assert "We do not know this medical council" in err.getvalue()
