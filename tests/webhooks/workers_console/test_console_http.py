"""The worker console over real HTTP, as a browser drives it: sign in, see only one's own place's
workers, verify, reject and withdraw with CSRF-protected forms; the phone follows the decision."""

from __future__ import annotations

import re
from typing import Any

from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient

from core.audit.models import AuditEvent
from core.services import Services
from core.workers.models import WorkerStatus
from testing.professionals import PASSWORD
from tests.running import Running
from tests.webhooks.journey_phones import PHONE
from tests.webhooks.workers.helpers import district_officer, registered_worker

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
PREFIX = "/workers-console"


class Browser:
    def __init__(self, client: TestClient[Any, Any]) -> None:
        self.client = client

    async def page(self, path: str) -> tuple[int, str]:
        response = await self.client.get(path, allow_redirects=False)
        return response.status, await response.text()

    async def submit(self, page: str, action: str, **data: str) -> ClientResponse:
        status, html = await self.page(page)
        assert status == 200, html
        found = CSRF.search(html)
        assert found, html
        return await self.client.post(
            action, data={"csrf_token": found.group(1), **data}, allow_redirects=False
        )

    async def sign_in(self, username: str, password: str = PASSWORD) -> ClientResponse:
        return await self.submit(
            f"{PREFIX}/sign-in", f"{PREFIX}/sign-in", username=username, password=password
        )


async def test_an_officer_verifies_and_withdraws_a_worker_of_her_district(
    running: Running,
) -> None:
    services: Services = running.services
    worker = await registered_worker(services)
    await district_officer(services)
    browser = Browser(running.client)
    status, _ = await browser.page(f"{PREFIX}/queue")
    assert status == 303  # no session: sign in first
    signed = await browser.sign_in("moic.lucknow")
    assert signed.status == 303
    assert signed.headers["Location"] == f"{PREFIX}/queue"
    status, html = await browser.page(f"{PREFIX}/queue")
    assert status == 200
    assert "Sunita Devi" in html
    assert worker.worker_id in html
    done = await browser.submit(f"{PREFIX}/queue", f"{PREFIX}/workers/{worker.worker_id}/verify")
    assert done.status == 303, await done.text()
    assert (await services.workers.get(worker.worker_id)).status is WorkerStatus.VERIFIED
    assert await services.workers.verified_by_mobile(PHONE) is not None
    no_reason = await browser.submit(
        f"{PREFIX}/queue", f"{PREFIX}/workers/{worker.worker_id}/withdraw", reason=" "
    )
    assert no_reason.status == 422
    assert "Please give a reason." in await no_reason.text()
    withdrawn = await browser.submit(
        f"{PREFIX}/queue", f"{PREFIX}/workers/{worker.worker_id}/withdraw", reason="left"
    )
    assert withdrawn.status == 303
    assert await services.workers.verified_by_mobile(PHONE) is None
    actions = {event.action for event in await AuditEvent.filter(subject=worker.actor)}
    assert actions == {"worker.registered", "worker.verified", "worker.withdrawn"}


async def test_another_districts_officer_cannot_see_or_decide(running: Running) -> None:
    services = running.services
    worker = await registered_worker(services)
    await services.workers.officers.create("moic.sitapur", PASSWORD, district_lgd=183)
    browser = Browser(running.client)
    await browser.sign_in("moic.sitapur")
    status, html = await browser.page(f"{PREFIX}/queue")
    assert status == 200
    assert worker.worker_id not in html
    refused = await browser.submit(f"{PREFIX}/queue", f"{PREFIX}/workers/{worker.worker_id}/verify")
    assert refused.status == 404
    assert (await services.workers.get(worker.worker_id)).status is WorkerStatus.PENDING


async def test_a_post_without_the_csrf_token_changes_nothing(running: Running) -> None:
    services = running.services
    worker = await registered_worker(services)
    await district_officer(services)
    browser = Browser(running.client)
    await browser.sign_in("moic.lucknow")
    forged = await running.client.post(
        f"{PREFIX}/workers/{worker.worker_id}/verify",
        data={"csrf_token": "forged"},
        allow_redirects=False,
    )
    assert forged.status == 403
    assert (await services.workers.get(worker.worker_id)).status is WorkerStatus.PENDING


async def test_a_wrong_password_and_hindi_pages(running: Running) -> None:
    await district_officer(running.services)
    browser = Browser(running.client)
    wrong = await browser.sign_in("moic.lucknow", "not the password at all")
    assert wrong.status == 401
    language = await browser.submit(
        f"{PREFIX}/sign-in", f"{PREFIX}/language", lang="hi", next=f"{PREFIX}/sign-in"
    )
    assert language.status == 303
    await browser.sign_in("moic.lucknow")
    status, html = await browser.page(f"{PREFIX}/queue")
    assert status == 200
    assert "स्वास्थ्य कार्यकर्ता" in html
    assert 'lang="hi"' in html
    assert "<script" not in html
