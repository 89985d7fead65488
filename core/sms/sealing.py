"""Encrypting SMS bodies at rest in the outbox.

Why: the outbox must keep the rendered text until the gateway takes it (that is its point), and
that text holds an OTP or a name with an ABHA number. A database dump, a backup or a support
engineer's `SELECT` should show neither, so the body is sealed with AES-GCM under a key derived
from `settings.secret_key`; the outbox id is the associated data, so a sealed body cannot be
moved onto another row.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_VERSION = "v1"
_NONCE_BYTES = 12


class Sealer:
    def __init__(self, secret_key: str, purpose: bytes = b"arogya.sms.outbox.v1") -> None:
        # A purpose-bound subkey: the same secret_key also signs other things.
        key = hmac.new(secret_key.encode(), purpose, hashlib.sha256).digest()
        self._aead = AESGCM(key)

    def seal(self, text: str, bound_to: str) -> str:
        # Nonces come from the OS, not the injected rng: a seeded rng would repeat them.
        nonce = os.urandom(_NONCE_BYTES)
        sealed = self._aead.encrypt(nonce, text.encode(), bound_to.encode())
        return f"{_VERSION}:" + base64.urlsafe_b64encode(nonce + sealed).decode()

    def open(self, sealed: str, bound_to: str) -> str:
        version, _, payload = sealed.partition(":")
        if version != _VERSION:
            raise ValueError(f"unknown sealed format {version!r}")
        raw = base64.urlsafe_b64decode(payload)
        try:
            plain = self._aead.decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], bound_to.encode())
        except InvalidTag as exc:
            raise ValueError("sealed text does not open with this key for this row") from exc
        return plain.decode()
