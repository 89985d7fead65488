"""Ids longer than any we issue are refused as unknown, never a 500 (the column holds 36)."""

from __future__ import annotations

import pytest

from core.errors import Forbidden, NotFound
from tests.webhooks.api.conftest import Api


@pytest.mark.parametrize("length", [1, 36])
async def test_a_long_txn_id_is_an_unknown_otp(api: Api, length: int) -> None:
    body = {"txn_id": "a" * length, "otp": "123456"}
    answer = await api.call("POST", "/api/v1/professionals/mobile-otp/verify", json_body=body)
    assert answer.status == 404, answer.body
    assert answer.code == "otp.unknown"


@pytest.mark.parametrize("length", [37, 64])
async def test_a_long_txn_id_is_refused_by_the_documented_shape(api: Api, length: int) -> None:
    schema = api.document["components"]["schemas"]["MobileOtpCheck"]["properties"]["txn_id"]
    assert schema["maxLength"] == 36
    body = {"txn_id": "a" * length, "otp": "123456"}
    answer = await api.call("POST", "/api/v1/professionals/mobile-otp/verify", json_body=body)
    assert (answer.status, answer.code) == (422, "request.invalid")
    assert answer.body["error"]["paths"] == ["txn_id"]


@pytest.mark.parametrize("proof", ["a", "a" * 36, "b" * 37, "c" * 64])
async def test_core_answers_any_id_it_never_issued_as_unknown(api: Api, proof: str) -> None:
    """Core does not rely on the API's schema: a caller of its own gets the refusal too."""
    registry = api.services.professionals
    with pytest.raises(Forbidden, match=r"hpr\.mobile_unverified"):
        await registry._check_mobile_proof(proof, "+919876543210")
    with pytest.raises(NotFound, match=r"otp\.unknown"):
        await registry.verify_mobile(proof, "123456")
