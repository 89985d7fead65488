"""`arogya admin add-worker-officer`: the officers who verify health workers, made from the
shell for one facility or one district, the password from stdin only."""

from __future__ import annotations

import argparse
import io
from pathlib import Path

import pytest

from arogya.admin import add_admin_commands, run_admin
from testing.professionals import PASSWORD
from tests.conftest import make_settings


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="arogya")
    add_admin_commands(parser.add_subparsers(dest="command", required=True))
    return parser.parse_args(argv)


def test_one_place_and_no_password_argument(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):  # a facility and a district at once
        parse(
            "admin", "add-worker-officer", "--facility", "IN0910000001", "--district", "162",
            "--username", "moic", "--password-stdin",
        )  # fmt: skip
    with pytest.raises(SystemExit):
        parse("admin", "add-worker-officer", "--district", "162", "--username", "moic")
    assert "--password-stdin" in capsys.readouterr().err


async def test_a_district_officer_is_made_and_switched_off(tmp_path: Path) -> None:
    settings = make_settings(database_url=f"sqlite://{tmp_path / 'admin.sqlite3'}")
    out, err = io.StringIO(), io.StringIO()
    add = parse(
        "admin", "add-worker-officer", "--district", "162", "--username", "MOIC.Lucknow",
        "--password-stdin",
    )  # fmt: skip
    assert await run_admin(add, settings, stdin=io.StringIO(PASSWORD + "\n"), stdout=out) == 0
    assert out.getvalue() == "created moic.lucknow for d162\n"
    assert await run_admin(add, settings, stdin=io.StringIO(PASSWORD), stderr=err) == 1
    assert err.getvalue() == "arogya admin: The username moic.lucknow is already taken.\n"
    off = parse("admin", "deactivate-worker-officer", "--username", "moic.lucknow")
    assert await run_admin(off, settings, stdout=io.StringIO()) == 0
    unknown = parse(
        "admin", "add-worker-officer", "--district", "9999", "--username", "nobody",
        "--password-stdin",
    )  # fmt: skip
    err = io.StringIO()
    assert await run_admin(unknown, settings, stdin=io.StringIO(PASSWORD), stderr=err) == 1
    assert "LGD district code" in err.getvalue()
