"""Signing consent artefacts and HIU callbacks: compact JWS with EdDSA (Ed25519), and the JWKS
that publishes the public keys (`GET /api/v1/consent/certs`).

Why sign: an artefact travels to the HIU and may be shown to a HIP or an auditor later; with the
signature anyone holding our public key can tell a real grant from a forged one without asking
us. A callback carries a detached signature of its body (RFC 7515 appendix F) for the same
reason: a HIU's callback URL is public, so "GRANTED" posted by a stranger must not be believed.

Keys come from settings as base64 (standard or URL-safe) 32-byte Ed25519 seeds, comma-separated:
the first signs, every one is published, so artefacts signed before a rotation still verify.
Unset, one key is derived from the deployment secret (embedded use only). A key's `kid` is its
RFC 7638 thumbprint, so nothing else needs configuring.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from collections.abc import Sequence
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

SEED_BYTES = 32


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _canonical(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":"), sort_keys=True, ensure_ascii=False).encode()


def public_jwk(public: Ed25519PublicKey) -> dict[str, str]:
    x = b64url(public.public_bytes(Encoding.Raw, PublicFormat.Raw))
    thumbprint = hashlib.sha256(_canonical({"crv": "Ed25519", "kty": "OKP", "x": x})).digest()
    return {
        "kty": "OKP",
        "crv": "Ed25519",
        "x": x,
        "kid": b64url(thumbprint),
        "use": "sig",
        "alg": "EdDSA",
    }


class ConsentSigner:
    def __init__(self, keys: Sequence[Ed25519PrivateKey]) -> None:
        if not keys:
            raise ValueError("a signer needs at least one key")
        self._keys = list(keys)
        self._jwks = [public_jwk(key.public_key()) for key in self._keys]
        if len({jwk["kid"] for jwk in self._jwks}) != len(self._jwks):
            raise ValueError("the same consent signing key appears twice")
        self.kid = self._jwks[0]["kid"]

    @classmethod
    def parse(cls, text: str) -> ConsentSigner:
        keys = []
        for item in text.split(","):
            standard = item.strip().translate(str.maketrans("-_", "+/"))
            try:
                seed = base64.b64decode(standard + "=" * (-len(standard) % 4), validate=True)
            except binascii.Error as exc:
                raise ValueError("a consent signing key is not base64") from exc
            if len(seed) != SEED_BYTES:
                raise ValueError(f"a consent signing key is {SEED_BYTES} bytes, not {len(seed)}")
            keys.append(Ed25519PrivateKey.from_private_bytes(seed))
        return cls(keys)

    @classmethod
    def derived(cls, secret_key: str) -> ConsentSigner:
        seed = hmac.new(secret_key.encode(), b"arogya.consent.signing.v1", hashlib.sha256)
        return cls([Ed25519PrivateKey.from_private_bytes(seed.digest())])

    def jwks(self) -> dict[str, list[dict[str, str]]]:
        return {"keys": [dict(jwk) for jwk in self._jwks]}

    def _header(self, typ: str) -> str:
        return b64url(_canonical({"alg": "EdDSA", "kid": self.kid, "typ": typ}))

    def sign(self, claims: dict[str, Any], typ: str = "JWT") -> str:
        """`claims` as a compact JWS signed with the current key."""
        signing_input = f"{self._header(typ)}.{b64url(_canonical(claims))}"
        signature = self._keys[0].sign(signing_input.encode())
        return f"{signing_input}.{b64url(signature)}"

    def sign_detached(self, payload: bytes) -> str:
        """`header..signature` over `payload` (the body travels separately)."""
        header = self._header("JOSE")
        signature = self._keys[0].sign(f"{header}.{b64url(payload)}".encode())
        return f"{header}..{b64url(signature)}"


class BadSignature(ValueError):
    pass


def verify(jws: str, jwks: dict[str, Any], *, payload: bytes | None = None) -> bytes:
    """The payload of a compact JWS (or check a detached one against `payload`) with a key of
    `jwks`; raises BadSignature. What a HIU does with our JWKS, kept here for tests and tools."""
    parts = jws.split(".")
    if len(parts) != 3:
        raise BadSignature("a compact JWS has three parts")
    header_b64, body_b64, signature_b64 = parts
    if payload is not None:
        if body_b64:
            raise BadSignature("expected a detached signature")
        body_b64 = b64url(payload)
    try:
        header = json.loads(unb64url(header_b64))
        signature = unb64url(signature_b64)
    except (ValueError, binascii.Error) as exc:
        raise BadSignature("malformed JWS") from exc
    if not isinstance(header, dict) or header.get("alg") != "EdDSA":
        raise BadSignature("not an EdDSA signature")
    for jwk in jwks.get("keys", []):
        if jwk.get("kid") == header.get("kid") and jwk.get("crv") == "Ed25519":
            key = Ed25519PublicKey.from_public_bytes(unb64url(str(jwk["x"])))
            try:
                key.verify(signature, f"{header_b64}.{body_b64}".encode())
            except InvalidSignature as exc:
                raise BadSignature("signature does not verify") from exc
            return unb64url(body_b64)
    raise BadSignature("no published key has this kid")


def signer_from_settings(keys: str | None, secret_key: str) -> ConsentSigner:
    if keys and keys.strip():
        return ConsentSigner.parse(keys)
    return ConsentSigner.derived(secret_key)
