"""Callback URLs reach the public internet only: no private, link-local, metadata or (outside
development) loopback addresses when a facility registers one (SSRF);
tests/core/consent/test_callback_addresses*.py hold the same at send time."""

from __future__ import annotations

import pytest

from tests.webhooks.api.conftest import Api, Serve, registration

REFUSED = [
    "https://169.254.169.254/latest/meta-data/",  # cloud metadata
    "https://10.0.0.5/abdm/notify",
    "https://192.168.1.20/cb",
    "https://[fd00:ec2::254]/",
    "https://[fe80::1]/cb",
    "https://0.0.0.0/cb",
    "http://hiu.example.in/cb",  # plain http off loopback
]


@pytest.mark.parametrize("url", REFUSED)
async def test_a_private_callback_url_is_refused_at_registration(api: Api, url: str) -> None:
    answer = await api.call("POST", "/api/v1/facilities", json_body=registration(callback_url=url))
    assert (answer.status, answer.body["error"].get("field")) == (422, "callback_url")


#: Loopback in every spelling: allowed only in development (AROGYA_ENV=development).
LOOPBACK = [
    "http://127.0.0.1:8080/cb",
    "https://127.0.0.1/cb",
    "https://localhost:8443/cb",
    "https://[::1]/cb",
    "https://[::ffff:127.0.0.1]/cb",
    "https://[::ffff:10.0.0.5]/cb",  # a private address behind an IPv4-mapped one
]


@pytest.mark.parametrize("url", LOOPBACK)
async def test_outside_development_loopback_and_plain_http_are_refused(
    serve: Serve, url: str
) -> None:
    api = await serve(env="production")
    answer = await api.call("POST", "/api/v1/facilities", json_body=registration(callback_url=url))
    assert (answer.status, answer.body["error"].get("field")) == (422, "callback_url")


async def test_in_development_a_local_test_server_may_be_the_callback(serve: Serve) -> None:
    api = await serve(env="development")
    body = registration(callback_url="http://127.0.0.1:8080/cb")
    answer = await api.call("POST", "/api/v1/facilities", json_body=body)
    assert answer.status == 201, answer.body
    body = registration(callback_url="http://10.0.0.5/cb")  # private stays refused even there
    answer = await api.call("POST", "/api/v1/facilities", json_body=body)
    assert (answer.status, answer.body["error"].get("field")) == (422, "callback_url")
