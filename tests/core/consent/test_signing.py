"""Artefacts and callbacks are signed EdDSA (Ed25519) JWS, verifiable with the published JWKS;
the keys come from settings (rotation keeps old artefacts verifiable) or from the secret."""

from __future__ import annotations

import base64
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.consent.signing import (
    BadSignature,
    ConsentSigner,
    b64url,
    signer_from_settings,
    unb64url,
    verify,
)

SEED_A = base64.b64encode(bytes(range(32))).decode()
SEED_B = base64.urlsafe_b64encode(bytes(range(32, 64))).decode().rstrip("=")


def test_a_signed_artefact_verifies_with_the_jwks_and_says_what_it_signed() -> None:
    signer = ConsentSigner.parse(SEED_A)
    token = signer.sign({"consentDetail": {"consentId": "c-1"}})
    header = json.loads(unb64url(token.split(".")[0]))
    assert header == {"alg": "EdDSA", "kid": signer.kid, "typ": "JWT"}
    assert json.loads(verify(token, signer.jwks())) == {"consentDetail": {"consentId": "c-1"}}
    [jwk] = signer.jwks()["keys"]
    assert (jwk["kty"], jwk["crv"], jwk["alg"], jwk["use"]) == ("OKP", "Ed25519", "EdDSA", "sig")
    assert len(unb64url(jwk["x"])) == 32


@given(
    claims=st.dictionaries(st.text(max_size=8), st.text(max_size=20), max_size=5),
    flip=st.integers(min_value=0),
)
def test_any_change_to_a_signed_artefact_is_caught(claims: dict[str, str], flip: int) -> None:
    signer = ConsentSigner.parse(SEED_A)
    header, payload, signature = signer.sign(claims).split(".")
    raw = bytearray(unb64url(payload) or b"{}")
    raw[flip % len(raw)] ^= 0x01
    with pytest.raises(BadSignature):
        verify(f"{header}.{b64url(bytes(raw))}.{signature}", signer.jwks())


def test_a_detached_signature_covers_the_body_it_came_with() -> None:
    signer = ConsentSigner.parse(SEED_A)
    body = b'{"notification":{"status":"GRANTED"}}'
    signature = signer.sign_detached(body)
    assert signature.split(".")[1] == ""
    assert verify(signature, signer.jwks(), payload=body) == body
    with pytest.raises(BadSignature):
        verify(signature, signer.jwks(), payload=body.replace(b"GRANTED", b"REVOKED"))


def test_rotation_signs_with_the_first_key_and_publishes_all() -> None:
    old = ConsentSigner.parse(SEED_A)
    rotated = ConsentSigner.parse(f"{SEED_B},{SEED_A}")
    earlier = old.sign({"n": 1})
    assert verify(earlier, rotated.jwks()) == b'{"n":1}'
    assert rotated.kid != old.kid
    assert [k["kid"] for k in rotated.jwks()["keys"]] == [rotated.kid, old.kid]
    with pytest.raises(BadSignature):  # a key we do not publish
        verify(ConsentSigner.parse(SEED_B).sign({}), old.jwks())


def test_keys_come_from_settings_or_the_deployment_secret() -> None:
    assert signer_from_settings(None, "s1").kid == signer_from_settings("  ", "s1").kid
    assert signer_from_settings(None, "s1").kid != signer_from_settings(None, "s2").kid
    assert signer_from_settings(SEED_A, "s1").kid == ConsentSigner.parse(SEED_A).kid
    for bad in ("not base64!", base64.b64encode(b"short").decode(), f"{SEED_A},{SEED_A}"):
        with pytest.raises(ValueError, match="key"):
            ConsentSigner.parse(bad)


def test_malformed_tokens_are_refused() -> None:
    jwks = ConsentSigner.parse(SEED_A).jwks()
    unsigned = b64url(b'{"alg":"none"}') + ".e30."
    for token in ("", "a.b", "a.b.c.d", "!!.e30.sig", unsigned):
        with pytest.raises(BadSignature):
            verify(token, jwks)
