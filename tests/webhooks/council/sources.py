"""Browsers at different client addresses: real sockets bound to 127.0.0.x on loopback.

Why: the console throttles sign-in failures per client address before any account's lock, so
a test of who can lock whom out needs requests that really come from different addresses
(Linux routes all of 127.0.0.0/8 to the loopback interface).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from aiohttp import ClientSession, CookieJar, TCPConnector
from yarl import URL

from tests.webhooks.council.helpers import Console, csrf_of

SIGN_IN = "/council/sign-in"


@dataclass
class Browser:
    """One browser at one address, with its own cookies (and so its own CSRF nonce)."""

    address: str
    base: URL
    session: ClientSession

    async def token(self) -> str:
        """GET the sign-in form (setting this browser's nonce cookie); its CSRF token."""
        async with self.session.get(self.base.join(URL(SIGN_IN))) as page:
            return csrf_of(await page.text())

    async def post(self, token: str, username: str, password: str) -> tuple[int, str]:
        """POST the sign-in form: the status and page of the answer."""
        form = {"csrf_token": token, "username": username, "password": password}
        async with self.session.post(
            self.base.join(URL(SIGN_IN)), data=form, allow_redirects=False
        ) as answer:
            return answer.status, await answer.text()

    async def sign_in(self, username: str, password: str) -> tuple[int, str]:
        """GET the form, POST it back."""
        return await self.post(await self.token(), username, password)


@asynccontextmanager
async def browser(console: Console, address: str) -> AsyncIterator[Browser]:
    base = console.client.make_url("/")
    connector = TCPConnector(local_addr=(address, 0), force_close=True)
    async with ClientSession(connector=connector, cookie_jar=CookieJar(unsafe=True)) as session:
        yield Browser(address, base, session)
