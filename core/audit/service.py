"""`AuditLog`: record and read audit events; there is deliberately no way to change one.

Why the detail is checked: audit rows are kept for years and read by support staff, so a detail
that carried an Aadhaar number, an OTP or a PIN would turn the audit log into a leak. The check
refuses such keys and bare 12-digit numbers (an Aadhaar, however formatted) as a caller bug.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from core.audit.models import AuditEvent
from core.clock import Clock

CHANNELS = frozenset({"ussd", "sms", "telegram", "api", "cli", "web"})
ACTION = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
#: Detail keys that name a secret or an Aadhaar, whatever their value.
FORBIDDEN_KEYS = frozenset(
    {"aadhaar", "aadhaar_number", "uid", "otp", "code", "pin", "old_pin", "new_pin", "password"}
)
#: Twelve digits, however grouped (`999999990019`, `9999 9999 0019`), but not inside a longer
#: number: a 14-digit ABHA number or an E.164 mobile (`+919876543210`) is not an Aadhaar.
AADHAAR_LIKE = re.compile(r"(?<![\d+-])\d{4}[ -]?\d{4}[ -]?\d{4}(?![\d-])")


def _check_detail(value: Any, path: str = "detail") -> None:
    if isinstance(value, Mapping):
        for key, item in value.items():
            if str(key).lower() in FORBIDDEN_KEYS:
                raise ValueError(f"audit {path} must not carry {key!r}")
            _check_detail(item, f"{path}.{key}")
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _check_detail(item, f"{path}[{index}]")
    elif isinstance(value, str) and AADHAAR_LIKE.search(value):
        raise ValueError(f"audit {path} looks like it carries an Aadhaar number")


class AuditLog:
    def __init__(self, clock: Clock) -> None:
        self._clock = clock

    async def record(
        self,
        action: str,
        *,
        actor: str,
        subject: str,
        channel: str,
        detail: dict[str, Any] | None = None,
    ) -> None:
        """Append one event. Raises ValueError for a malformed action, channel or detail."""
        await self._checked(action, actor, subject, channel, detail).save()

    async def record_together(
        self,
        actions: list[tuple[str, dict[str, Any] | None]],
        *,
        actor: str,
        subject: str,
        channel: str,
    ) -> None:
        """Append several events of one act (an ABHA made with its PIN) in one INSERT, so a
        transaction that writes them costs one statement, not one per event. Each is checked as
        `record` checks it, all before any is written."""
        rows = [
            self._checked(action, actor, subject, channel, detail) for action, detail in actions
        ]
        if rows:
            await AuditEvent.bulk_create(rows)

    def _checked(
        self,
        action: str,
        actor: str,
        subject: str,
        channel: str,
        detail: dict[str, Any] | None,
    ) -> AuditEvent:
        if not ACTION.match(action):
            raise ValueError(f"audit action must be dotted lower case, got {action!r}")
        if channel not in CHANNELS:
            raise ValueError(f"unknown audit channel {channel!r}")
        _check_detail(detail or {})
        return AuditEvent(
            at=self._clock.now(),
            action=action,
            actor=actor,
            subject=subject,
            channel=channel,
            detail=detail or {},
        )

    async def events(
        self, subject: str | None = None, action: str | None = None
    ) -> list[AuditEvent]:
        """Events oldest first, optionally only one subject's and/or one action's."""
        query = AuditEvent.all()
        if subject is not None:
            query = query.filter(subject=subject)
        if action is not None:
            query = query.filter(action=action)
        return await query.order_by("id")
