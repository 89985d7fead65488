"""Callback URLs reach the public internet only: no private, link-local or metadata addresses
when a facility registers one (SSRF); tests/core/consent/test_callback_addresses.py holds the
same at send time."""

from __future__ import annotations

import pytest

from tests.webhooks.api.conftest import Api, registration

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
