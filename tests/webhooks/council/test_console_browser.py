"""The council console driven in a real headless Chromium (Debian's package, via Playwright).

Two councils' officers use the console on a phone-sized screen: Maharashtra's officer verifies
one registration and rejects another with a reason, in English and in Hindi; Gujarat's officer
can neither see nor act on Maharashtra's registrations. Screenshots of every screen are kept
under `test-output/council/` for a person to look at.

CI needs `apt-get install -y chromium` and `pip install playwright` (the Python package only:
Playwright's own browser download cannot work here, so the test points it at /usr/bin/chromium).
"""

from __future__ import annotations

import importlib.util
import random
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from aiohttp.test_utils import TestServer

from core.clock import FrozenClock
from core.professionals.application import Qualification
from core.professionals.models import ProfessionalStatus
from core.settings import Settings
from testing.professionals import PASSWORD
from tests.core.professionals.helpers import Wiring, build, officer, register
from tests.webhooks.council.conftest import console_app
from tests.webhooks.council.helpers import Console, csrf_of

if TYPE_CHECKING:
    from playwright.async_api import Browser, BrowserContext, Page, ViewportSize

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SHOTS = Path(__file__).resolve().parents[3] / "test-output" / "council"
PHONE: ViewportSize = {"width": 390, "height": 844}
#: Resolves once both Devanagari faces are in (a screenshot must not catch a half-drawn page).
FONTS_LOADED = """Promise.all(['400', '700'].map(
    w => document.fonts.load(w + ' 16px "Arogya Devanagari"', 'क'))
).then(() => document.fonts.ready).then(() => true)"""

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is absent: apt-get install -y chromium", allow_module_level=True)
if importlib.util.find_spec("playwright") is None:
    pytest.skip("playwright is absent: pip install playwright", allow_module_level=True)


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield chromium
        finally:
            await chromium.close()


@pytest.fixture
async def served(
    db: str, settings: Settings, clock: FrozenClock, rng: random.Random
) -> AsyncIterator[tuple[Wiring, str]]:
    wiring = build(settings, clock, rng)
    server = TestServer(console_app(Console(wiring)), host="127.0.0.1")
    await server.start_server()
    try:
        yield wiring, str(server.make_url("/council"))
    finally:
        await server.close()


async def phone(browser: Browser) -> tuple[BrowserContext, Page, list[str]]:
    """A phone-sized tab that records any dialog a script might open (none may)."""
    context = await browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale="en-IN"
    )
    page = await context.new_page()
    page.set_default_timeout(10_000)
    dialogs: list[str] = []

    async def dismiss(dialog: Any) -> None:
        dialogs.append(dialog.message)
        await dialog.dismiss()

    page.on("dialog", dismiss)
    return context, page, dialogs


async def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    await page.evaluate(FONTS_LOADED)
    await page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


async def sign_in(page: Page, base: str, username: str) -> None:
    await page.goto(base)
    await page.fill("#username", username)
    await page.fill("#password", PASSWORD)
    await page.click("button[type=submit].primary")
    await page.wait_for_url(f"{base}/queue")


async def test_officers_verify_and_reject_in_a_real_browser(
    browser: Browser, served: tuple[Wiring, str]
) -> None:
    wiring, base = served
    await officer(wiring, "MH")
    await officer(wiring, "GJ")
    college = "<script>alert('owned')</script> Grant Medical College"
    to_verify = await register(
        wiring,
        name="Asha Rao",
        registration_number="MMC/2012/1234",
        qualifications=(Qualification("MBBS", college, "University of Mumbai", 2010),),
    )
    wiring.clock.advance(60)
    to_reject = await register(
        wiring,
        name="Ravi Kulkarni",
        registration_number="MMC/2015/77",
        mobile="+919876543211",
        specialisation="cardiology",
    )
    wiring.clock.advance(60)
    waiting = await register(
        wiring,
        name="Meera Joshi",
        registration_number="MMC/2019/5",
        mobile="+919876543212",
        specialisation="ophthalmology",
    )
    gujarat = await register(
        wiring, name="Gita Shah", council="GJ", registration_number="G-9", mobile="+919876543213"
    )

    context, page, dialogs = await phone(browser)
    await page.goto(base)
    assert await page.locator("h1").inner_text() == "Sign in"
    await shot(page, "en-01-sign-in")
    await sign_in(page, base, "mh.registrar")
    cards = page.locator(".card .name")
    assert await cards.all_inner_texts() == ["Asha Rao", "Ravi Kulkarni", "Meera Joshi"]
    assert "Gita Shah" not in await page.content()
    await shot(page, "en-02-queue")

    await page.click("text=Asha Rao")
    await page.wait_for_url(f"{base}/registrations/{to_verify.hpr_id}")
    # the script in the college's name is shown as text and never runs
    assert college in await page.locator(".qualification").inner_text()
    await shot(page, "en-03-detail")
    await page.click("#verify")
    await page.wait_for_url(f"{base}/queue?done=verified")
    assert "has been verified" in await page.locator(".notice").inner_text()
    await shot(page, "en-04-verified")

    await page.click("text=Ravi Kulkarni")
    await page.click("#reject")  # no reason yet: the form asks for one
    assert "Please write a reason" in await page.locator(".error").inner_text()
    await page.fill("#reason", "Registration MMC/2015/77 belongs to another doctor")
    await shot(page, "en-05-reject")
    await page.click("#reject")
    await page.wait_for_url(f"{base}/queue?done=rejected")
    assert await cards.all_inner_texts() == ["Meera Joshi"]

    # Hindi, remembered by the session from here on
    await page.click("button[value=hi]")
    await page.wait_for_url(f"{base}/queue?done=rejected")
    assert await page.locator("html").get_attribute("lang") == "hi"
    assert await page.locator("h1").inner_text() == "सत्यापन की प्रतीक्षा में पंजीकरण"
    await shot(page, "hi-01-queue")
    await page.click("text=Meera Joshi")
    assert "नेत्र रोग" in await page.content()
    await shot(page, "hi-02-detail")
    await page.click("nav >> text=इतिहास")
    history = await page.locator(".card").all_inner_texts()
    assert "Ravi Kulkarni" in history[0]
    assert "सत्यापित नहीं" in history[0]
    assert "belongs to another doctor" in history[0]
    assert "Asha Rao" in history[1]
    assert "सत्यापित" in history[1]
    await shot(page, "hi-03-history")
    await page.click("text=साइन आउट करें")
    await page.wait_for_url(f"{base}/sign-in?signed_out=1")
    await shot(page, "hi-04-signed-out")
    assert dialogs == []
    await context.close()

    # Gujarat's officer: sees only Gujarat, cannot open or decide a Maharashtra registration
    context, page, dialogs = await phone(browser)
    await sign_in(page, base, "gj.registrar")
    assert await page.locator(".card .name").all_inner_texts() == ["Gita Shah"]
    await shot(page, "en-06-other-council-queue")
    await page.click("nav >> text=History")
    assert "No decisions yet." in await page.content()
    response = await page.goto(f"{base}/registrations/{waiting.hpr_id}")
    assert response is not None
    assert response.status == 404
    assert "Meera Joshi" not in await page.content()
    await shot(page, "en-07-other-council-not-found")
    await page.goto(f"{base}/queue")
    token = csrf_of(await page.content())
    for verb, form in (("verify", {}), ("reject", {"reason": "not ours"})):
        refused = await context.request.post(
            f"{base}/registrations/{waiting.hpr_id}/{verb}", form={"csrf_token": token, **form}
        )
        assert refused.status == 403
    assert dialogs == []
    await context.close()

    assert (await wiring.registry.get(to_verify.hpr_id)).status is ProfessionalStatus.VERIFIED
    rejected = await wiring.registry.get(to_reject.hpr_id)
    assert rejected.status is ProfessionalStatus.REJECTED
    assert rejected.rejection_reason == "Registration MMC/2015/77 belongs to another doctor"
    assert (await wiring.registry.get(waiting.hpr_id)).status is ProfessionalStatus.PENDING
    assert (await wiring.registry.get(gujarat.hpr_id)).status is ProfessionalStatus.PENDING
