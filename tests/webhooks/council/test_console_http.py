"""The council console over real HTTP: sign-in, sessions, CSRF, council isolation, escaping."""

from __future__ import annotations

from aiohttp.test_utils import TestClient, TestServer
from markupsafe import escape

from core.notify.models import Notification
from core.professionals.application import Qualification
from core.professionals.models import OfficerSession, ProfessionalStatus
from testing.professionals import PASSWORD
from tests.core.professionals.helpers import officer, register
from tests.webhooks.council.conftest import console_app
from tests.webhooks.council.helpers import Console, csrf_of
from tests.webhooks.council.sources import browser


async def test_the_sign_in_page_is_safe_to_serve(console: Console) -> None:
    response = await console.client.get("/council", allow_redirects=True)
    assert response.status == 200
    assert str(response.url).endswith("/council/sign-in")
    page = await response.text()
    assert '<html lang="en">' in page
    assert "Sign in" in page
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in page
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"
    css = await console.client.get("/council/static/council.css")
    assert css.status == 200
    assert "@media" in await css.text()


async def test_signing_in_opens_an_http_only_session(console: Console) -> None:
    await officer(console.wiring)
    status, page = await console.page("/council/sign-in")
    response = await console.post(
        "/council/sign-in",
        {"csrf_token": csrf_of(page), "username": "MH.Registrar", "password": PASSWORD},
    )
    assert response.status == 303
    cookie = response.cookies["council_session"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["path"] == "/council"
    assert not cookie["secure"]  # plain http on loopback; see the https test below
    status, queue = await console.page("/council/queue")
    assert status == 200
    assert "Signed in as mh.registrar, Maharashtra Medical Council" in queue
    assert await OfficerSession.all().count() == 1


async def test_cookies_are_secure_behind_https(console: Console) -> None:
    async with TestClient(TestServer(console_app(console, secure_cookies=True))) as client:
        response = await client.get("/council/sign-in")
        nonce = response.cookies["council_pre"]
        assert nonce["secure"] is True
        assert nonce["httponly"] is True
        # over plain http a browser keeps a Secure cookie to itself, so the form is refused
        response = await client.post(
            "/council/sign-in",
            data={"csrf_token": csrf_of(await response.text()), "username": "x", "password": "y"},
        )
        assert response.status == 403


async def test_wrong_passwords_are_refused_then_lock_the_account(console: Console) -> None:
    await officer(console.wiring)
    answers = []
    # Two addresses, two wrong passwords each (the most one address may send), then a third.
    for address in ("127.0.0.2", "127.0.0.2", "127.0.0.3", "127.0.0.3", "127.0.0.4"):
        async with browser(console, address) as guesser:
            answers.append(await guesser.sign_in("mh.registrar", "nope" * 4))
    assert [status for status, _ in answers] == [401, 401, 401, 401, 429]
    assert "The username or password is not correct." in answers[0][1]
    assert "Please try again in 15 minutes" in answers[-1][1]
    async with browser(console, "127.0.0.5") as owner:  # even the right password, while locked
        assert (await owner.sign_in("mh.registrar", PASSWORD))[0] == 429
    assert await OfficerSession.all().count() == 0


async def test_pages_need_a_session(console: Console) -> None:
    for path in (
        "/council/",
        "/council/queue",
        "/council/history",
        "/council/registrations/12345678901234",
    ):
        status, _ = await console.page(path)
        assert status == 303
    response = await console.post("/council/registrations/12345678901234/verify", {})
    assert (response.status, response.headers["Location"]) == (303, "/council/sign-in")


async def test_forms_without_the_right_csrf_token_change_nothing(console: Console) -> None:
    wiring = console.wiring
    doctor = await register(wiring)
    await officer(wiring)

    # login CSRF: no token, a forged one, or a token without its nonce cookie
    for data in ({}, {"csrf_token": "0" * 64}):
        response = await console.post(
            "/council/sign-in", {**data, "username": "mh.registrar", "password": PASSWORD}
        )
        assert response.status == 403
        assert "did not come from this console" in await response.text()
    assert await OfficerSession.all().count() == 0

    await console.sign_in()
    action = f"/council/registrations/{doctor.hpr_id}/verify"
    _, page = await console.page(f"/council/registrations/{doctor.hpr_id}")
    token = csrf_of(page)
    for data, headers in (
        ({}, None),
        ({"csrf_token": ""}, None),
        ({"csrf_token": token[:-1] + ("0" if token[-1] != "0" else "1")}, None),
        ({"csrf_token": token}, {"Origin": "https://evil.example"}),
    ):
        response = await console.post(action, data, headers=headers)
        assert response.status == 403, await response.text()
    assert (await wiring.registry.get(doctor.hpr_id)).status is ProfessionalStatus.PENDING

    # another officer's session token is not this session's token
    other = Console(wiring)
    async with TestClient(TestServer(console_app(other))) as other.client:
        await officer(wiring, username="second.officer")
        await other.sign_in("second.officer")
        _, other_page = await other.page(f"/council/registrations/{doctor.hpr_id}")
        response = await console.post(action, {"csrf_token": csrf_of(other_page)})
        assert response.status == 403
    assert (await wiring.registry.get(doctor.hpr_id)).status is ProfessionalStatus.PENDING
    assert await Notification.all().count() == 0

    # bodies that are not forms at all: refused like a missing token, never a 500
    for body, content_type in (
        (b"csrf_token=%ff%fe", "application/x-www-form-urlencoded"),
        (b"--x\r\nbroken", "multipart/form-data"),
    ):
        response = await console.client.post(
            action, data=body, headers={"Content-Type": content_type}, allow_redirects=False
        )
        assert response.status == 403, await response.text()
    assert (await wiring.registry.get(doctor.hpr_id)).status is ProfessionalStatus.PENDING

    response = await console.post(action, {"csrf_token": token})
    assert (response.status, response.headers["Location"]) == (303, "/council/queue?done=verified")
    assert (await wiring.registry.get(doctor.hpr_id)).status is ProfessionalStatus.VERIFIED


async def test_an_expired_session_is_sent_to_sign_in_and_acts_on_nothing(console: Console) -> None:
    doctor = await register(console.wiring)
    await officer(console.wiring)
    await console.sign_in()
    _, page = await console.page(f"/council/registrations/{doctor.hpr_id}")
    token = csrf_of(page)

    console.wiring.clock.advance(minutes=31)
    response = await console.post(
        f"/council/registrations/{doctor.hpr_id}/verify", {"csrf_token": token}
    )
    assert (response.status, response.headers["Location"]) == (303, "/council/sign-in?expired=1")
    assert response.cookies["council_session"].value == ""  # the dead cookie is dropped
    assert (await console.wiring.registry.get(doctor.hpr_id)).status is ProfessionalStatus.PENDING
    _status, page = await console.page("/council/sign-in?expired=1")
    assert "Your session has ended" in page


async def test_an_officer_sees_and_acts_on_their_own_council_only(console: Console) -> None:
    wiring = console.wiring
    ours = await register(wiring, name="Asha Rao")
    theirs = await register(wiring, name="Gita Shah", council="GJ", mobile="+919876543211")
    await officer(wiring)
    await console.sign_in()

    _, queue = await console.page("/council/queue")
    assert "Asha Rao" in queue
    assert "Gita Shah" not in queue
    assert f"/council/registrations/{theirs.hpr_id}" not in queue
    status, page = await console.page(f"/council/registrations/{theirs.hpr_id}")
    assert status == 404
    assert "Gita Shah" not in page

    _, page = await console.page(f"/council/registrations/{ours.hpr_id}")
    token = csrf_of(page)
    for verb, data in (("verify", {}), ("reject", {"reason": "not ours to judge"})):
        response = await console.post(
            f"/council/registrations/{theirs.hpr_id}/{verb}", {"csrf_token": token, **data}
        )
        assert response.status == 403
        assert "belongs to another council" in await response.text()
    assert (await wiring.registry.get(theirs.hpr_id)).status is ProfessionalStatus.PENDING

    await console.post(f"/council/registrations/{ours.hpr_id}/verify", {"csrf_token": token})
    gujarat = Console(wiring)
    async with TestClient(TestServer(console_app(gujarat))) as gujarat.client:
        await officer(wiring, "GJ")
        await gujarat.sign_in("gj.registrar")
        _, their_history = await gujarat.page("/council/history")
        assert "Asha Rao" not in their_history
        assert "No decisions yet." in their_history
        _, their_queue = await gujarat.page("/council/queue")
        assert "Gita Shah" in their_queue
        assert "Asha Rao" not in their_queue


async def test_markup_in_any_field_is_shown_as_text(console: Console) -> None:
    script = "<script>alert('x')</script>"
    doctor = await register(
        console.wiring,
        qualifications=(
            Qualification(
                f"MBBS {script}", "<img src=x onerror=alert(1)>", '"University" & Co', 2010
            ),
        ),
        email="asha@example.org",
    )
    await officer(console.wiring)
    await console.sign_in()
    _, page = await console.page(f"/council/registrations/{doctor.hpr_id}")
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert str(escape(script)) in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "&#34;University&#34; &amp; Co" in page

    reason = f"Number not in register {script}"
    response = await console.post(
        f"/council/registrations/{doctor.hpr_id}/reject",
        {"csrf_token": csrf_of(page), "reason": reason},
    )
    assert response.status == 303
    _, history = await console.page("/council/history")
    assert "<script>alert" not in history
    assert str(escape(reason)) in history
    assert (await console.wiring.registry.get(doctor.hpr_id)).rejection_reason == reason


async def test_rejecting_without_a_reason_asks_for_one(console: Console) -> None:
    doctor = await register(console.wiring)
    await officer(console.wiring)
    await console.sign_in()
    detail = f"/council/registrations/{doctor.hpr_id}"
    response = await console.submit(detail, f"{detail}/reject", reason=" ")
    assert response.status == 422
    assert "Please write a reason" in await response.text()
    assert (await console.wiring.registry.get(doctor.hpr_id)).status is ProfessionalStatus.PENDING

    response = await console.submit(detail, f"{detail}/reject", reason="Not in our register")
    assert response.headers["Location"] == "/council/queue?done=rejected"
    _, queue = await console.page(response.headers["Location"])
    assert "The registration has been rejected" in queue
    assert "No registrations are waiting" in queue
    _, page = await console.page(detail)
    assert 'id="verify"' not in page
    assert "Not in our register" in page


async def test_the_language_is_remembered_in_the_session(console: Console) -> None:
    await register(console.wiring)
    await officer(console.wiring)
    # chosen before signing in: carried into the session
    response = await console.submit(
        "/council/sign-in", "/council/language", lang="hi", next="/council/sign-in"
    )
    assert response.headers["Location"] == "/council/sign-in"
    _, page = await console.page("/council/sign-in")
    assert '<html lang="hi">' in page
    assert "उपयोगकर्ता नाम" in page
    await console.sign_in()
    _, queue = await console.page("/council/queue")
    assert "सत्यापन की प्रतीक्षा में पंजीकरण" in queue
    assert "महाराष्ट्र चिकित्सा परिषद" in queue
    assert "बाल रोग" in queue  # the specialisation label, from the catalog

    response = await console.submit(
        "/council/queue", "/council/language", lang="en", next="//evil.example/"
    )
    assert response.headers["Location"] == "/council/"
    assert [s.language for s in await OfficerSession.all()] == ["en"]
    _, queue = await console.page("/council/queue")
    assert "Registrations waiting for verification" in queue


async def test_signing_out_ends_the_session(console: Console) -> None:
    await officer(console.wiring)
    await console.sign_in()
    token = console.session_cookie()
    response = await console.submit("/council/queue", "/council/sign-out")
    assert response.headers["Location"] == "/council/sign-in?signed_out=1"
    assert await OfficerSession.all().count() == 0
    assert await console.wiring.registry.sessions.resolve(token or "") is None
    status, _ = await console.page("/council/queue")
    assert status == 303


async def test_the_queue_pages_and_unknown_pages_are_html(console: Console) -> None:
    for n in range(23):
        await register(
            console.wiring, registration_number=f"Q{n:02d}", mobile=f"+9198765432{n:02d}"
        )
    await officer(console.wiring)
    await console.sign_in()
    _, first = await console.page("/council/queue")
    assert "Waiting: 23" in first
    assert "Page 1 of 2" in first
    assert "Q00" in first
    _, second = await console.page("/council/queue?page=2")
    assert "Q22" in second
    assert "Q00" not in second
    assert 'rel="prev"' in second
    _, odd = await console.page("/council/queue?page=abc")
    assert "Page 1 of 2" in odd

    response = await console.client.get("/council/nowhere")
    assert response.status == 404
    assert response.content_type == "text/html"
    assert "This page does not exist." in await response.text()


async def test_the_app_outside_the_console_keeps_its_json_errors(console: Console) -> None:
    response = await console.client.get("/elsewhere")
    assert response.status == 404
    assert response.content_type == "application/json"
