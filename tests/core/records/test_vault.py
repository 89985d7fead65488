"""The keyring: AES-GCM sealing bound to a record id, and the settings format it is read from."""

from __future__ import annotations

import base64

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.records.vault import DERIVED_KID, Keyring, VaultError, keyring_from_settings

KEY_A = bytes(range(32))
KEY_B = bytes(range(32, 64))


def test_seal_and_open() -> None:
    ring = Keyring([("a", KEY_A)])
    kid, sealed = ring.seal(b'{"resourceType": "Bundle"}', "rec-1")
    assert kid == "a"
    assert b"Bundle" not in sealed
    assert ring.open(kid, sealed, "rec-1") == b'{"resourceType": "Bundle"}'


def test_the_same_text_seals_differently_each_time() -> None:
    ring = Keyring([("a", KEY_A)])
    assert ring.seal(b"same", "rec-1")[1] != ring.seal(b"same", "rec-1")[1]


def test_a_sealed_record_opens_only_on_its_own_row() -> None:
    ring = Keyring([("a", KEY_A)])
    _, sealed = ring.seal(b"secret", "rec-1")
    with pytest.raises(VaultError):
        ring.open("a", sealed, "rec-2")
    tampered = sealed[:-1] + bytes([sealed[-1] ^ 1])
    with pytest.raises(VaultError):
        ring.open("a", tampered, "rec-1")


def test_old_keys_open_new_seals_use_the_first() -> None:
    old = Keyring([("a", KEY_A)])
    kid, sealed = old.seal(b"before rotation", "rec-1")
    rotated = Keyring([("b", KEY_B), ("a", KEY_A)])
    assert rotated.current_kid == "b"
    assert rotated.kids == ("b", "a")
    assert rotated.open(kid, sealed, "rec-1") == b"before rotation"
    assert rotated.seal(b"after", "rec-2")[0] == "b"
    with pytest.raises(VaultError):
        Keyring([("b", KEY_B)]).open(kid, sealed, "rec-1")  # the old key was dropped


def test_the_settings_format() -> None:
    text = (
        f" b:{base64.b64encode(KEY_B).decode()} ,"
        f"a:{base64.urlsafe_b64encode(KEY_A).decode().rstrip('=')}"
    )
    ring = Keyring.parse(text)
    assert ring.kids == ("b", "a")
    kid, sealed = Keyring([("a", KEY_A)]).seal(b"x", "r")
    assert ring.open(kid, sealed, "r") == b"x"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "nokey",
        f"a:{base64.b64encode(bytes(16)).decode()}",  # AES-128: refused, we use 256-bit keys
        "a:not*base64!",
        f"a:{base64.b64encode(KEY_A).decode()},a:{base64.b64encode(KEY_B).decode()}",
        f"bad kid:{base64.b64encode(KEY_A).decode()}",
    ],
)
def test_bad_keyrings_fail_at_startup(text: str) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - the message is for an operator's log
        Keyring.parse(text)


def test_without_a_keyring_a_key_is_derived_from_the_secret() -> None:
    derived = keyring_from_settings(None, "deployment-secret")
    assert derived.kids == (DERIVED_KID,)
    kid, sealed = derived.seal(b"x", "r")
    assert keyring_from_settings("  ", "deployment-secret").open(kid, sealed, "r") == b"x"
    with pytest.raises(VaultError):
        keyring_from_settings(None, "another-secret").open(kid, sealed, "r")
    configured = keyring_from_settings(f"k9:{base64.b64encode(KEY_A).decode()}", "s")
    assert configured.kids == ("k9",)


@given(
    plaintext=st.binary(max_size=2048),
    record_id=st.text(min_size=1, max_size=36),
    key=st.binary(min_size=32, max_size=32),
)
def test_open_inverts_seal(plaintext: bytes, record_id: str, key: bytes) -> None:
    ring = Keyring([("k", key)])
    kid, sealed = ring.seal(plaintext, record_id)
    assert ring.open(kid, sealed, record_id) == plaintext


@given(
    kids=st.lists(
        st.from_regex(r"[A-Za-z0-9_-]{1,16}", fullmatch=True), min_size=1, max_size=4, unique=True
    )
)
def test_parse_reads_back_what_an_operator_writes(kids: list[str]) -> None:
    keys = [bytes([index]) * 32 for index in range(len(kids))]
    text = ",".join(
        f"{kid}:{base64.b64encode(key).decode()}" for kid, key in zip(kids, keys, strict=True)
    )
    ring = Keyring.parse(text)
    assert ring.kids == tuple(kids)
    assert ring.current_kid == kids[0]
    for kid, key in zip(kids, keys, strict=True):
        _, sealed = Keyring([(kid, key)]).seal(b"payload", "r")
        assert ring.open(kid, sealed, "r") == b"payload"
