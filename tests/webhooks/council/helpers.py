"""Driving the console the way a browser does: GET a page, read its form, POST it back."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient

from testing.professionals import PASSWORD
from tests.core.professionals.helpers import Wiring

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    match = CSRF.search(html)
    assert match, "the page has no form with a CSRF token"
    return match.group(1)


@dataclass
class Console:
    wiring: Wiring
    client: TestClient[Any, Any] = field(init=False)

    async def page(self, path: str) -> tuple[int, str]:
        response = await self.client.get(path, allow_redirects=False)
        return response.status, await response.text()

    async def post(
        self, path: str, data: dict[str, str], *, headers: dict[str, str] | None = None
    ) -> ClientResponse:
        return await self.client.post(path, data=data, headers=headers, allow_redirects=False)

    async def submit(self, page: str, action: str, **data: str) -> ClientResponse:
        """POST `data` to `action` with the CSRF token of the form on `page`."""
        status, html = await self.page(page)
        assert status == 200, html
        return await self.post(action, {"csrf_token": csrf_of(html), **data})

    async def sign_in(self, username: str = "mh.registrar", password: str = PASSWORD) -> None:
        response = await self.submit(
            "/council/sign-in", "/council/sign-in", username=username, password=password
        )
        assert response.status == 303, await response.text()
        assert response.headers["Location"] == "/council/queue"

    def session_cookie(self) -> str | None:
        for cookie in self.client.session.cookie_jar:
            if cookie.key == "council_session":
                return cookie.value
        return None
