"""The council console's sessions: its cookies and its officers' accounts, guarded by the rules
every console shares (`webhooks.console.security`: CSRF, headers, dead sessions sent to sign-in).
"""

from __future__ import annotations

from aiohttp import web

from core.professionals.service import ProfessionalService
from core.professionals.sessions import ConsoleSession
from webhooks.console.security import Console
from webhooks.council.keys import REGISTRY, SESSION


class CouncilAccounts:
    """Council officers (`ProfessionalService.officers`) and their sessions, for sign-in."""

    def __init__(self, registry: ProfessionalService) -> None:
        self._registry = registry

    async def sign_in(
        self, username: str, password: str | None, *, source: str, language: str
    ) -> str:
        # An overlong password is counted like any wrong one (it is never hashed), and the
        # address is throttled before the account's own lock (`officers.authenticate`).
        officer = await self._registry.officers.authenticate(
            username, "" if password is None else password, source=source
        )
        token, _ = await self._registry.sessions.open(officer, language)
        return token

    async def resolve(self, token: str) -> ConsoleSession | None:
        return await self._registry.sessions.resolve(token)

    async def set_language(self, token: str, language: str) -> None:
        await self._registry.sessions.set_language(token, language)

    async def close(self, token: str) -> None:
        await self._registry.sessions.close(token)


def _accounts(request: web.Request) -> CouncilAccounts:
    return CouncilAccounts(request.config_dict[REGISTRY])


CONSOLE: Console[ConsoleSession] = Console(
    session_cookie="council_session",
    pre_cookie="council_pre",
    lang_cookie="council_lang",
    session_key=SESSION,
    accounts=_accounts,
    intro_key="council.sign_in.intro",
    signed_out_notice="council.signed_out",
)
