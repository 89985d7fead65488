"""Typed domain errors with stable codes.

Why codes: flows translate an error into a message in the person's language, and the partner API
returns it as JSON. Both need a stable machine-readable code (`otp.expired`), never prose.
"""

from __future__ import annotations

from typing import Any


class ArogyaError(Exception):
    """A refusal the caller can explain to a person: `code` is a locale key suffix."""

    code: str = "error.unknown"
    #: HTTP status the partner API answers with when this error escapes a handler.
    http_status: int = 400

    def __init__(self, code: str | None = None, **params: Any) -> None:
        self.code = code or self.code
        self.params = params
        super().__init__(self.code)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.code!r}, {self.params!r})"


class InvalidInput(ArogyaError):
    """The value is malformed (a bad Aadhaar, a bad ABHA address)."""

    http_status = 422


class NotFound(ArogyaError):
    http_status = 404


class Conflict(ArogyaError):
    """The value is well formed but clashes with what exists (address taken, cap reached)."""

    http_status = 409


class Forbidden(ArogyaError):
    http_status = 403


class Locked(ArogyaError):
    """Too many wrong attempts: wait until `until` (an ISO timestamp in params)."""

    http_status = 429


class Unavailable(ArogyaError):
    """A dependency (state store, gateway) is down: the person should try again shortly."""

    http_status = 503


class RemoteUnavailable(Unavailable):
    """A national service (ABDM) did not answer, or answered nonsense: unlike our own state
    store being down, the person is told so in its own words, and their progress is kept."""


class Pending(ArogyaError):
    """The step went through but needs one more code from the person (ABDM's OTP to a
    communication mobile): said, and not counted as a mistake."""

    http_status = 409
