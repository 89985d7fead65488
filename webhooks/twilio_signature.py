"""Twilio's webhook signatures, as Twilio's own `RequestValidator` checks them.

- Algorithm: HMAC-SHA1 with the account's Auth Token (the classic `X-Twilio-Signature`), or
  the newer one named by `X-Twilio-Webhooks-Signature-Settings: key=<id>,algorithm=HMAC_SHA256`
  (signed with that SharedKey's secret: `AROGYA_TWILIO_WEBHOOK_SIGNING_KEY`, else the Auth
  Token). Any other named algorithm is refused: we cannot check it, so we do not trust it.
- The signed string: the URL Twilio called, then each parameter name followed by its values,
  names sorted, each name's distinct values sorted.
- The URL: Twilio signs sometimes with the default port written (`https://host:443/sms/twilio`)
  and sometimes without; both forms are tried, as the library does.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit, urlunsplit

SIGNATURE_HEADER = "X-Twilio-Signature"
SETTINGS_HEADER = "X-Twilio-Webhooks-Signature-Settings"
HMAC_SHA1 = "HMAC_SHA1"
HMAC_SHA256 = "HMAC_SHA256"
HASHES: dict[str, Callable[..., Any]] = {
    HMAC_SHA1: hashlib.sha1,
    HMAC_SHA256: hashlib.sha256,
}
DEFAULT_PORTS = {"https": 443, "http": 80}


def algorithm_of(settings_header: str | None) -> str:
    """The algorithm the settings header names; none named is the classic HMAC-SHA1."""
    for part in (settings_header or "").split(","):
        name, separator, value = part.partition("=")
        if separator and name.strip() == "algorithm" and value.strip():
            return value.strip().upper()
    return HMAC_SHA1


def signed_string(url: str, params: Iterable[tuple[str, str]]) -> str:
    values: dict[str, set[str]] = {}
    for name, value in params:
        values.setdefault(name, set()).add(value)
    return url + "".join(name + value for name in sorted(values) for value in sorted(values[name]))


def sign(key: str, url: str, params: Iterable[tuple[str, str]], algorithm: str = HMAC_SHA1) -> str:
    mac = hmac.new(key.encode(), signed_string(url, params).encode(), HASHES[algorithm])
    return base64.b64encode(mac.digest()).decode()


def url_forms(url: str) -> list[str]:
    """`url` without its default port and with it written (`:443` for https)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    default = DEFAULT_PORTS.get(parts.scheme)
    if parts.port is not None and parts.port != default:
        return [url]
    bare = urlunsplit(parts._replace(netloc=host))
    ported = urlunsplit(parts._replace(netloc=f"{host}:{default}")) if default else bare
    return [bare, ported]


def verify(
    key: str,
    url: str,
    params: list[tuple[str, str]],
    signature: str | None,
    settings_header: str | None,
) -> bool:
    """True when `signature` is Twilio's over this request (constant-time comparisons)."""
    algorithm = algorithm_of(settings_header)
    if not signature or algorithm not in HASHES:
        return False
    matches = [
        hmac.compare_digest(sign(key, form, params, algorithm).encode(), signature.encode())
        for form in url_forms(url)
    ]
    return any(matches)
