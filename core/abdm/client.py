"""`AbdmClient`: one HTTP client for ABDM, holding the gateway session and the public key.

Why one object: every ABHA call needs the same three things first (a gateway bearer token,
fresh `REQUEST-ID`/`TIMESTAMP` headers, and, for a body with an Aadhaar, mobile or OTP, the
current public key), and all of them are cached per process:

- the session token (client credentials -> `accessToken`, `expiresIn`) is reused until a
  minute before it expires, fetched once by concurrent callers, and renewed once when a call
  answers 401 (a token revoked early), after which the call is retried once;
- the certificate is kept for an hour (NHA: cache it with a validity window, not forever).

Faults become the registry's typed errors (`core.abdm.faults`); a call that takes longer than
`AROGYA_ABDM_TIMEOUT_SECONDS` (10 s) or cannot connect is `abdm.unavailable`. What is logged
is the REQUEST-ID, the path, the status and the ABDM code: never a body, which may hold a name,
a mobile or an encrypted Aadhaar.
"""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import datetime, timedelta
from typing import Any

import aiohttp

from core.abdm import wire
from core.abdm.faults import AbdmRefused, bad_answer, unavailable
from core.clock import Clock
from core.settings import Settings

log = logging.getLogger(__name__)

#: Renew the session token this long before ABDM says it expires.
TOKEN_MARGIN = timedelta(seconds=60)
CERTIFICATE_TTL = timedelta(hours=1)
Json = dict[str, Any]


class AbdmClient:
    def __init__(
        self, settings: Settings, clock: Clock, *, http: aiohttp.ClientSession | None = None
    ) -> None:
        if not (settings.abdm_gateway_url and settings.abdm_abha_url):
            raise ValueError("the abdm registry needs AROGYA_ABDM_GATEWAY_URL and _ABHA_URL")
        self._settings = settings
        self._clock = clock
        self._gateway = settings.abdm_gateway_url.rstrip("/")
        self._abha = settings.abdm_abha_url.rstrip("/")
        self._timeout = aiohttp.ClientTimeout(total=settings.abdm_timeout_seconds)
        self._http = http
        self._token: tuple[str, datetime] | None = None
        self._key: tuple[wire.PublicKey, datetime] | None = None
        self._lock = asyncio.Lock()
        #: How many session tokens this process fetched (tests and the docs' figures read it).
        self.sessions_opened = 0

    async def close(self) -> None:
        if self._http is not None:
            await self._http.close()
            self._http = None

    def _session(self) -> aiohttp.ClientSession:
        if self._http is None:
            self._http = aiohttp.ClientSession(timeout=self._timeout)
        return self._http

    # --- the session token and the key -----------------------------------------------------

    async def _bearer(self) -> str:
        async with self._lock:
            now = self._clock.now()
            if self._token is not None and now < self._token[1] - TOKEN_MARGIN:
                return self._token[0]
            secret = self._settings.abdm_client_secret
            body = {
                "clientId": self._settings.abdm_client_id,
                "clientSecret": secret.get_secret_value() if secret else "",
                "grantType": "client_credentials",
            }
            head = wire.headers(now, cm_id=self._settings.abdm_cm_id)
            status, answer = await self._send(
                "POST", self._gateway + wire.SESSIONS_PATH, body, head
            )
            if status != 200:
                raise AbdmRefused(wire.read_fault(status, answer), wire.SESSIONS_PATH)
            token = _field(answer, "accessToken", wire.SESSIONS_PATH)
            expires_in = answer.get("expiresIn") if isinstance(answer, dict) else None
            if not isinstance(expires_in, int) or expires_in <= 0:
                raise bad_answer(wire.SESSIONS_PATH, "expiresIn")
            self._token = (token, now + timedelta(seconds=expires_in))
            self.sessions_opened += 1
            return token

    def _forget_token(self, token: str) -> None:
        if self._token is not None and self._token[0] == token:
            self._token = None

    async def encrypt(self, value: str) -> str:
        """`value` under ABDM's current public key, in the padding the certificate names."""
        now = self._clock.now()
        if self._key is None or now >= self._key[1]:
            answer = await self.call("GET", wire.CERTIFICATE_PATH)
            try:
                key = wire.PublicKey.from_certificate(answer)
            except (KeyError, ValueError, TypeError) as exc:
                raise bad_answer(wire.CERTIFICATE_PATH, type(exc).__name__) from None
            self._key = (key, now + CERTIFICATE_TTL)
        return self._key[0].encrypt(value)

    # --- calls -----------------------------------------------------------------------------

    async def call(
        self,
        method: str,
        path: str,
        body: Json | None = None,
        *,
        extra: dict[str, str] | None = None,
    ) -> Json:
        """One ABHA v3 call; the JSON object it answered, or a typed error."""
        for attempt in (1, 2):
            token = await self._bearer()
            head = {**wire.headers(self._clock.now(), token, self._settings.abdm_cm_id)}
            head.update(extra or {})
            status, answer = await self._send(method, self._abha + path, body, head)
            if status == 401 and attempt == 1:
                self._forget_token(token)  # revoked or expired early: renew once, retry once
                continue
            if 200 <= status < 300:
                if not isinstance(answer, dict):
                    raise bad_answer(path, "not an object")
                return answer
            raise AbdmRefused(wire.read_fault(status, answer), path)
        raise AssertionError("unreachable")  # pragma: no cover

    async def call_binary(
        self, path: str, *, extra: dict[str, str] | None = None
    ) -> tuple[bytes, str]:
        """A GET answered with a file (the ABHA card, the QR): its bytes and media type.

        Same session token, headers, one renewal on 401 and faults as `call`; an error body is
        JSON as usual. Only the media type and size are logged, never the bytes.
        """
        for attempt in (1, 2):
            token = await self._bearer()
            head = {**wire.headers(self._clock.now(), token, self._settings.abdm_cm_id)}
            head.update(extra or {})
            try:
                async with self._session().request(
                    "GET", self._abha + path, headers=head, timeout=self._timeout
                ) as response:
                    raw = await response.read()
                    status, media = response.status, response.content_type
            except (TimeoutError, aiohttp.ClientError) as exc:
                name, request_id = type(exc).__name__, head["REQUEST-ID"]
                log.warning("ABDM GET %s: %s (request %s)", path, name, request_id)
                raise unavailable() from None
            log.info(
                "ABDM GET %s: %d %s %d bytes (request %s)",
                path,
                status,
                media,
                len(raw),
                head["REQUEST-ID"],
            )
            if status == 401 and attempt == 1:
                self._forget_token(token)
                continue
            if 200 <= status < 300:
                if not raw:
                    raise bad_answer(path, "empty")
                return raw, media
            try:
                answer: object = json.loads(raw) if raw else None
            except ValueError:
                answer = None
            raise AbdmRefused(wire.read_fault(status, answer), path)
        raise AssertionError("unreachable")  # pragma: no cover

    async def _send(
        self, method: str, url: str, body: Json | None, head: dict[str, str]
    ) -> tuple[int, object]:
        path = url.removeprefix(self._abha).removeprefix(self._gateway)
        try:
            async with self._session().request(
                method, url, json=body, headers=head, timeout=self._timeout
            ) as response:
                raw = await response.read()
                status = response.status
        except (TimeoutError, aiohttp.ClientError) as exc:
            log.warning(
                "ABDM %s %s: %s (request %s)", method, path, type(exc).__name__, head["REQUEST-ID"]
            )
            raise unavailable() from None
        try:
            answer: object = json.loads(raw) if raw else None
        except ValueError:
            answer = None
            if 200 <= status < 300:
                log.warning(
                    "ABDM %s %s: %d, not JSON (request %s)",
                    method,
                    path,
                    status,
                    head["REQUEST-ID"],
                )
                raise bad_answer(path, "not JSON") from None
        log.info("ABDM %s %s: %d (request %s)", method, path, status, head["REQUEST-ID"])
        return status, answer


def _field(answer: object, name: str, path: str) -> str:
    value = answer.get(name) if isinstance(answer, dict) else None
    if not isinstance(value, str) or not value:
        raise bad_answer(path, name)
    return value


def text_field(answer: Json, name: str, path: str) -> str:
    """A required non-empty string of an answer, or `abdm.bad_answer` (logged, no values)."""
    return _field(answer, name, path)
