"""`arogya admin ...`: council officer accounts for the verification console.

Why a CLI and not a web page: creating the people who may verify doctors is the one power the
console must not grant itself. An administrator with shell access to a deployment runs, e.g.:

    printf '%s\\n' "$PASSWORD" |
        arogya admin add-officer --council MH --username asha.patil --password-stdin

Officers who verify health workers (ASHA, ANM, CHO) at `/workers-console` serve one facility
or one district, and are made the same way:

    arogya admin add-worker-officer --district 146 --username moic.lucknow --password-stdin

Passwords are read from standard input only (a command-line argument would sit in the shell
history and in every `ps` listing), and stored as salted scrypt hashes.

Hooked into `arogya/cli.py` by `add_admin_commands(commands)` and, for `args.command ==
"admin"`, `asyncio.run(run_admin(args, settings))`.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, TextIO

from core.audit.service import AuditLog
from core.clock import SystemClock, system_random
from core.errors import ArogyaError
from core.professionals.councils import COUNCILS
from core.professionals.officers import OfficerAccounts
from core.services import open_state_store
from core.settings import Settings
from core.storage import open_storage
from core.workers.officers import WorkerOfficers
from locales import translate

#: Who the audit log names as the actor of a CLI change.
CLI_ACTOR = "cli:admin"


def add_admin_commands(commands: argparse._SubParsersAction[Any]) -> None:
    """Add `admin` and its actions to the CLI's subcommands."""
    admin = commands.add_parser("admin", help="manage council officer accounts")
    actions = admin.add_subparsers(dest="admin_command", required=True, metavar="ACTION")

    add = actions.add_parser("add-officer", help="create a council officer's console account")
    add.add_argument("--council", required=True, help="council code: MH, GJ, ... or NMC")
    add.add_argument("--username", required=True, help="3-32 letters, digits, '.', '_', '-'")
    _password_stdin(add)

    password = actions.add_parser("set-officer-password", help="replace an officer's password")
    password.add_argument("--username", required=True)
    _password_stdin(password)

    unlock = actions.add_parser("unlock-officer", help="end a lockout after wrong passwords")
    unlock.add_argument("--username", required=True)

    deactivate = actions.add_parser("deactivate-officer", help="switch an account off for good")
    deactivate.add_argument("--username", required=True)

    actions.add_parser("list-councils", help="print the council codes")

    worker = actions.add_parser(
        "add-worker-officer", help="create an officer who verifies health workers"
    )
    place = worker.add_mutually_exclusive_group(required=True)
    place.add_argument("--facility", help="the facility's HFR id, e.g. IN0910000001")
    place.add_argument("--district", type=int, help="the district's LGD code, e.g. 146")
    worker.add_argument("--username", required=True, help="3-32 letters, digits, '.', '_', '-'")
    _password_stdin(worker)

    off = actions.add_parser("deactivate-worker-officer", help="switch a worker officer off")
    off.add_argument("--username", required=True)


def _password_stdin(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--password-stdin",
        action="store_true",
        required=True,
        help="read the password from the first line of standard input",
    )


def read_password(stdin: TextIO) -> str:
    """The first line of stdin without its line ending (spaces inside are kept)."""
    return stdin.readline().rstrip("\r\n")


async def admin(
    args: argparse.Namespace,
    accounts: OfficerAccounts,
    stdin: TextIO,
    stdout: TextIO,
    worker_officers: WorkerOfficers | None = None,
) -> int:
    """Run one admin action against open storage; returns the exit status."""
    action = args.admin_command
    if action in ("add-worker-officer", "deactivate-worker-officer"):
        assert worker_officers is not None
        return await worker_admin(args, worker_officers, stdin, stdout)
    if action == "list-councils":
        for council in COUNCILS.values():
            print(f"{council.code}\t{council.name}", file=stdout)
        return 0
    if action == "add-officer":
        created = await accounts.create(
            args.council, args.username, read_password(stdin), actor=CLI_ACTOR
        )
        print(f"created {created.username} for council {created.council}", file=stdout)
    elif action == "set-officer-password":
        await accounts.set_password(args.username, read_password(stdin), actor=CLI_ACTOR)
        print(f"password set for {args.username.strip().lower()}", file=stdout)
    elif action == "unlock-officer":
        await accounts.unlock(args.username, actor=CLI_ACTOR)
        print(f"unlocked {args.username.strip().lower()}", file=stdout)
    elif action == "deactivate-officer":
        await accounts.deactivate(args.username, actor=CLI_ACTOR)
        print(f"deactivated {args.username.strip().lower()}", file=stdout)
    else:
        raise AssertionError(f"unhandled admin action {action}")
    return 0


async def worker_admin(
    args: argparse.Namespace, officers: WorkerOfficers, stdin: TextIO, stdout: TextIO
) -> int:
    if args.admin_command == "add-worker-officer":
        created = await officers.create(
            args.username,
            read_password(stdin),
            facility_id=args.facility,
            district_lgd=args.district,
            actor=CLI_ACTOR,
        )
        print(f"created {created.username} for {created.actor.split(':')[1]}", file=stdout)
    else:
        await officers.deactivate(args.username, actor=CLI_ACTOR)
        print(f"deactivated {args.username.strip().lower()}", file=stdout)
    return 0


async def run_admin(
    args: argparse.Namespace,
    settings: Settings,
    *,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Open storage (migrating first), run the action, print a refusal in plain English."""
    clock = SystemClock()
    # The sign-in locks live in the state store: with Redis, `unlock-officer` reaches them.
    state = open_state_store(settings)
    async with open_storage(settings.database_url):
        accounts = OfficerAccounts(
            clock,
            system_random(),
            AuditLog(clock),
            state=state,
            hash_cost=settings.password_hash_cost,
        )
        workers = WorkerOfficers(
            clock, system_random(), AuditLog(clock), hash_cost=settings.password_hash_cost
        )
        try:
            return await admin(args, accounts, stdin or sys.stdin, stdout or sys.stdout, workers)
        except ArogyaError as exc:
            message = translate(f"error.{exc.code}", "en", **exc.params)
            print(f"arogya admin: {message}", file=stderr or sys.stderr)
            return 1
        finally:
            await state.close()
