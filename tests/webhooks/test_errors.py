"""The one JSON error middleware (`webhooks.errors`) over real HTTP, in both its instances, and
the channels' refusals of bodies they cannot read: always a JSON 4xx, never a 500."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from core.errors import InvalidInput
from core.facilities.errors import Unauthenticated
from tests.webhooks.conftest import API_TOKEN
from tests.webhooks.phones import Client
from webhooks.errors import HttpError, json_errors

REALM = "test-realm"
HINDI = {"Accept-Language": "hi-IN,en;q=0.5"}


async def refuse(request: web.Request) -> web.Response:
    """Raises what the path names, as a handler of either surface would."""
    what = request.match_info["what"]
    if what == "text":
        raise HttpError(413, "request.too_large", "bodies are limited to 10 bytes")
    if what == "catalog":
        raise HttpError(413, "request.too_large", max_kb=64)
    if what == "mismatch":  # the catalog's template wants `max_kb`
        raise HttpError(413, "request.too_large", limit=64)
    if what == "paths":
        raise InvalidInput("request.invalid", paths=["a.b", "c"], where="a.b, c")
    if what == "field":
        raise InvalidInput("request.unknown_parameter", field="pin")
    if what == "key":
        raise Unauthenticated("facility.key_invalid")
    if what == "rate":
        raise HttpError(429, "request.rate_limited", retry_after=30)
    if what == "json":
        await request.json()
    if what == "bug":
        raise RuntimeError("a bug")
    return web.json_response({"ok": what})


@pytest.fixture
async def both() -> AsyncIterator[TestClient[web.Request, web.Application]]:
    """`/gateway/...` answered by the app's instance, `/api/...` by a detailed one on a sub-app,
    nested as in `create_app`."""
    app = web.Application(middlewares=[json_errors()])
    app.router.add_post("/gateway/{what}", refuse)
    api = web.Application(middlewares=[json_errors(detailed=True, realm=REALM)])
    api.router.add_post("/{what}", refuse)
    app.add_subapp("/api", api)
    async with TestClient(TestServer(app)) as client:
        yield client


async def answer(
    client: TestClient[web.Request, web.Application], path: str, **kwargs: Any
) -> tuple[int, dict[str, Any], dict[str, str]]:
    response = await client.post(path, **kwargs)
    assert response.content_type == "application/json"
    return response.status, (await response.json())["error"], dict(response.headers)


async def test_a_refusal_with_its_own_text_keeps_it_on_both_surfaces(
    both: TestClient[web.Request, web.Application],
) -> None:
    for prefix in ("/gateway", "/api"):
        status, error, _ = await answer(both, f"{prefix}/text")
        assert (status, error) == (
            413,
            {"code": "request.too_large", "message": "bodies are limited to 10 bytes"},
        )


async def test_the_gateway_surface_says_code_and_english_message_only(
    both: TestClient[web.Request, web.Application],
) -> None:
    status, error, headers = await answer(both, "/gateway/paths", headers=HINDI)
    assert (status, error) == (
        422,
        {"code": "request.invalid", "message": "The request body is not valid at: a.b, c"},
    )
    status, error, headers = await answer(both, "/gateway/key")
    assert (status, set(error)) == (401, {"code", "message"})
    assert "WWW-Authenticate" not in headers


async def test_the_partner_surface_adds_language_details_and_headers(
    both: TestClient[web.Request, web.Application],
) -> None:
    status, error, _ = await answer(both, "/api/paths", headers=HINDI)
    assert status == 422
    assert error["paths"] == ["a.b", "c"]
    assert "details" not in error  # `where` is only the paths joined for the message
    assert error["message"] == "अनुरोध इस जगह सही नहीं है: a.b, c"
    _, error, _ = await answer(both, "/api/field")
    assert error["field"] == "pin"
    status, error, headers = await answer(both, "/api/key")
    assert (status, error["code"]) == (401, "facility.key_invalid")
    assert headers["WWW-Authenticate"] == f'Bearer realm="{REALM}"'
    status, error, headers = await answer(both, "/api/rate")
    assert (status, error["details"], headers["Retry-After"]) == (429, {"retry_after": 30}, "30")
    _, error, _ = await answer(both, "/api/catalog")
    assert error == {
        "code": "request.too_large",
        "message": "The request body is larger than the limit of 64 KB.",
        "details": {"max_kb": 64},
    }


async def test_a_message_whose_params_do_not_fit_is_the_code_not_a_500(
    both: TestClient[web.Request, web.Application],
) -> None:
    for prefix in ("/gateway", "/api"):
        status, error, _ = await answer(both, f"{prefix}/mismatch")
        assert (status, error["message"]) == (413, "request.too_large")


@pytest.mark.parametrize("prefix", ["/gateway", "/api"])
async def test_a_body_that_is_not_json_is_a_400_not_a_500(
    both: TestClient[web.Request, web.Application], prefix: str
) -> None:
    status, error, _ = await answer(both, f"{prefix}/json", data=b"{not json")
    assert (status, error["code"]) == (400, "request.malformed_json")
    assert error["message"] == "The body is not valid JSON."


@pytest.mark.parametrize("prefix", ["/gateway", "/api"])
async def test_a_bug_is_logged_and_answered_500_json(
    both: TestClient[web.Request, web.Application],
    prefix: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.ERROR, logger="webhooks.errors"):
        status, error, _ = await answer(both, f"{prefix}/bug")
    assert (status, error) == (
        500,
        {"code": "server.error", "message": "Something went wrong on our side."},
    )
    assert "a bug" in caplog.text


@pytest.mark.parametrize("prefix", ["/gateway", "/api"])
async def test_routing_refusals_are_json_and_405_says_what_is_allowed(
    both: TestClient[web.Request, web.Application], prefix: str
) -> None:
    missing = await both.post(f"{prefix}/text/deeper")
    assert missing.status == 404
    assert (await missing.json())["error"] == {
        "code": "http.404",
        "message": "There is nothing at this address.",
    }
    wrong = await both.get(f"{prefix}/text")
    assert wrong.status == 405
    assert (await wrong.json())["error"]["code"] == "http.405"
    assert wrong.headers["Allow"] == "POST"


GARBAGE = [
    (b"\xff\xfe\x00garbage", "application/octet-stream"),
    (b"{not json", "application/json"),
    (b"", "application/json"),
    (b"<xml/>", "text/xml"),
    (b"sessionId=S1&phoneNumber=%ff%fe&text=\xff", "application/x-www-form-urlencoded"),
]


@pytest.mark.parametrize("path", ["/ussd", "/sms", "/sms/twilio"])
@pytest.mark.parametrize(("body", "content_type"), GARBAGE)
async def test_whatever_body_a_channel_is_sent_it_answers_json_4xx_never_500(
    client: Client, path: str, body: bytes, content_type: str
) -> None:
    headers = {"Content-Type": content_type, "Authorization": f"Bearer {API_TOKEN}"}
    response = await client.post(path, data=body, headers=headers)
    assert 400 <= response.status < 500
    assert response.content_type == "application/json"
    error = (await response.json())["error"]
    assert set(error) == {"code", "message"}
    assert error["code"].startswith(("request.", "sms."))
