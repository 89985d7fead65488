"""The worker console's sessions: its own cookies and officer accounts, guarded by the rules
every console shares (`webhooks.console.security`: CSRF, headers, dead sessions sent to sign-in).
"""

from __future__ import annotations

from aiohttp import web

from core.errors import Forbidden
from core.workers.officers import WorkerConsoleSession, WorkerOfficers
from webhooks.console.security import Console
from webhooks.workers.keys import SESSION, WORKERS


class WorkerAccounts:
    """Worker officers (`WorkerService.officers`) and their sessions, for sign-in."""

    def __init__(self, officers: WorkerOfficers) -> None:
        self._officers = officers

    async def sign_in(
        self, username: str, password: str | None, *, source: str, language: str
    ) -> str:
        # An overlong password is refused before the account is looked at (never hashed).
        # `WorkerOfficers.authenticate` locks by account only: it takes no client address.
        if password is None:
            raise Forbidden("officer.bad_credentials")
        officer = await self._officers.authenticate(username, password)
        token, _ = await self._officers.open_session(officer, language)
        return token

    async def resolve(self, token: str) -> WorkerConsoleSession | None:
        return await self._officers.resolve(token)

    async def set_language(self, token: str, language: str) -> None:
        await self._officers.set_language(token, language)

    async def close(self, token: str) -> None:
        await self._officers.close_session(token)


def _accounts(request: web.Request) -> WorkerAccounts:
    return WorkerAccounts(request.config_dict[WORKERS].officers)


CONSOLE: Console[WorkerConsoleSession] = Console(
    session_cookie="workers_session",
    pre_cookie="workers_pre",
    lang_cookie="workers_lang",
    session_key=SESSION,
    accounts=_accounts,
    intro_key="workers.console.intro",
    signed_out_notice=None,
)
