"""Encrypting health records at rest: AES-256-GCM under a keyring with rotation.

Why: a bundle holds diagnoses and medicines. A database dump, a backup or a support engineer's
`SELECT` must show none of it, while the listing (date, HI type, facility, display) stays in
clear columns so "My records" can page without opening anything.

The keyring comes from settings as `kid:base64key,kid:base64key`; the first key seals new
records, every key still opens old ones, and each row stores the `kid` that sealed it, so an
operator adds a key in front, runs `RecordService.rotate`, then drops the old key. The record
id is the associated data: a sealed bundle copied onto another row does not open. Nonces come
from the OS, never the injected rng (a seeded rng would repeat them).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import re
from collections.abc import Sequence

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

KEY_BYTES = 32
NONCE_BYTES = 12
_KID = re.compile(r"[A-Za-z0-9_-]{1,16}")
_AAD_PREFIX = b"arogya.records.v1:"
DERIVED_KID = "sk1"


class VaultError(Exception):
    """A sealed record does not open (unknown key id, wrong key, altered bytes)."""


class Keyring:
    def __init__(self, keys: Sequence[tuple[str, bytes]]) -> None:
        if not keys:
            raise ValueError("a keyring needs at least one key")
        self._aeads: dict[str, AESGCM] = {}
        for kid, key in keys:
            if not _KID.fullmatch(kid):
                raise ValueError(f"key id {kid!r}: 1-16 of A-Z a-z 0-9 _ -")
            if kid in self._aeads:
                raise ValueError(f"key id {kid!r} appears twice")
            if len(key) != KEY_BYTES:
                raise ValueError(f"key {kid!r} must be {KEY_BYTES} bytes, not {len(key)}")
            self._aeads[kid] = AESGCM(key)
        self.current_kid = keys[0][0]

    @classmethod
    def parse(cls, text: str) -> Keyring:
        """`kid:base64key,...` (standard or URL-safe base64), the first one current."""
        keys: list[tuple[str, bytes]] = []
        for item in text.split(","):
            kid, colon, encoded = item.strip().partition(":")
            if not colon:
                raise ValueError("each keyring entry is kid:base64key")
            standard = encoded.strip().translate(str.maketrans("-_", "+/"))
            try:
                key = base64.b64decode(standard + "=" * (-len(standard) % 4), validate=True)
            except binascii.Error as exc:
                raise ValueError(f"key {kid!r} is not base64") from exc
            keys.append((kid.strip(), key))
        return cls(keys)

    @classmethod
    def derived(cls, secret_key: str) -> Keyring:
        """One key derived from the deployment secret: the embedded default when no keyring is
        configured. Production should configure a keyring, so the records key can be rotated
        without changing every other secret."""
        key = hmac.new(secret_key.encode(), b"arogya.records.at-rest.v1", hashlib.sha256).digest()
        return cls([(DERIVED_KID, key)])

    @property
    def kids(self) -> tuple[str, ...]:
        return tuple(self._aeads)

    def seal(self, plaintext: bytes, record_id: str) -> tuple[str, bytes]:
        """(key id, nonce + ciphertext + tag) under the current key, bound to `record_id`."""
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._aeads[self.current_kid].encrypt(nonce, plaintext, _aad(record_id))
        return self.current_kid, nonce + sealed

    def open(self, kid: str, sealed: bytes, record_id: str) -> bytes:
        aead = self._aeads.get(kid)
        if aead is None:
            raise VaultError(f"key {kid!r} is not in the keyring")
        try:
            return aead.decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], _aad(record_id))
        except InvalidTag as exc:
            raise VaultError(f"record {record_id} does not open with key {kid!r}") from exc


def _aad(record_id: str) -> bytes:
    return _AAD_PREFIX + record_id.encode()


def keyring_from_settings(records_keys: str | None, secret_key: str) -> Keyring:
    """The composition root's helper: the configured keyring, else one derived key."""
    if records_keys and records_keys.strip():
        return Keyring.parse(records_keys)
    return Keyring.derived(secret_key)
