"""Refusals specific to records, where an HTTP status beyond core.errors' classes is right."""

from __future__ import annotations

from core.errors import ArogyaError, InvalidInput


class TooLarge(InvalidInput):
    """The bundle is over the size cap: the partner API answers 413, not 422."""

    http_status = 413


class Unreadable(ArogyaError):
    """A stored record does not open: its key is gone from the keyring, or the row was altered.

    Never the caller's fault, so a 500; it is logged where it is raised."""

    http_status = 500
