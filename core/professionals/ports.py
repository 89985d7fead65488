"""What the registry needs from outside itself: a notifier and a facility directory.

Why Protocols: both are built by other packages (`core/notify`, `core/facilities`) on their own
schedule; the registry codes against the smallest shape it needs, and the composition root hands
in the real thing: `core.professionals.hfr.HfrDirectory` reads the facilities registry, and
`core.notify.service.Notifier` has this `notify` signature.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol


class Notifier(Protocol):
    async def notify(
        self,
        channel: str,
        address: str,
        key: str,
        params: dict[str, Any],
        lang: str,
        *,
        dedupe_key: str | None = None,
    ) -> object:
        """Reach a person on `channel` (`sms`, `telegram`) with the catalog message `key`.

        Delivery is the notifier's business (an outbox with retries); `dedupe_key` makes a
        repeated call for the same event a no-op, so the registry may safely call again.
        """
        ...


@dataclass(frozen=True, slots=True)
class FacilityCard:
    """What "find a doctor" shows of the facility a doctor works at."""

    facility_id: str
    name: str
    phone: str
    address: str
    #: LGD district code (`core.facilities.lgd.district` names it).
    district_code: int
    pincode: str


class FacilityDirectory(Protocol):
    async def missing(self, facility_ids: Sequence[str]) -> list[str]:
        """The ids among `facility_ids` the HFR does not hold (empty when all exist)."""
        ...

    async def cards(self, facility_ids: Sequence[str]) -> dict[str, FacilityCard]:
        """Cards of the VERIFIED facilities among `facility_ids`, by id."""
        ...

    async def verified_in_area(
        self, *, district: int | None = None, pincode: str | None = None
    ) -> list[str]:
        """Ids of VERIFIED facilities in a district (LGD code) or a PIN code area."""
        ...
