"""What every part of `ConsentService` shares: its dependencies, views and status changes.

Why a base class: the service is one object for its callers, but four ideas inside, each in its
own module: a HIU asking (`requests`), a person answering (`answers`), records leaving under an
artefact (`access`) and time running out (`sweeper`). All of them change a request's status the
same way, here: a conditional UPDATE (`WHERE status = <expected>`), so of two answers racing
(approve on USSD, deny on Telegram) exactly one wins, and every change is announced to the HIU
through the callback outbox in the same transaction.
"""

from __future__ import annotations

import random
import uuid
from datetime import datetime
from typing import Any

from core.audit.service import CHANNELS, AuditLog
from core.channels.service import ChannelService
from core.clock import Clock
from core.consent.callbacks import CallbackOutbox
from core.consent.models import ConsentArtefact, ConsentRequest, ConsentStatus
from core.consent.signing import ConsentSigner
from core.consent.views import ArtefactView, ConsentView, artefact_view, consent_view
from core.facilities.models import Facility
from core.healthid.service import HealthIdService
from core.notify.service import Notifier
from core.professionals.service import ProfessionalService
from core.records.service import RecordService
from core.settings import Settings


class ConsentCore:
    def __init__(
        self,
        settings: Settings,
        clock: Clock,
        rng: random.Random,
        audit: AuditLog,
        *,
        healthid: HealthIdService,
        records: RecordService,
        professionals: ProfessionalService,
        notifier: Notifier,
        channels: ChannelService,
        signer: ConsentSigner,
        callbacks: CallbackOutbox,
    ) -> None:
        self._settings = settings
        self._clock = clock
        self._rng = rng
        self._audit = audit
        self._healthid = healthid
        self._records = records
        self._professionals = professionals
        self._notifier = notifier
        self._channels = channels
        self.signer = signer
        self.callbacks = callbacks

    @staticmethod
    def _check_channel(channel: str) -> None:
        if channel not in CHANNELS:
            raise ValueError(f"unknown channel {channel!r}")

    def _new_id(self) -> str:
        return str(uuid.UUID(int=self._rng.getrandbits(128), version=4))

    def jwks(self) -> dict[str, list[dict[str, str]]]:
        """The public keys artefacts and callbacks are signed with."""
        return self.signer.jwks()

    # --- views -----------------------------------------------------------------------------

    async def _artefact_views(self, row: ConsentRequest) -> tuple[ArtefactView, ...]:
        if row.status is ConsentStatus.REQUESTED:
            return ()  # artefacts are made only by a grant
        artefacts = await ConsentArtefact.filter(request_id=row.seq).order_by("seq")
        hip_ids = {str(a.hip_id) for a in artefacts}  # type: ignore[attr-defined]
        names = dict(await Facility.filter(id__in=list(hip_ids)).values_list("id", "name"))
        return tuple(
            artefact_view(a, row.id, str(names.get(a.hip_id, "")))  # type: ignore[attr-defined]
            for a in artefacts
        )

    async def _view(self, row: ConsentRequest) -> ConsentView:
        """A request with its HIU's name, its person's number and its artefacts."""
        await row.fetch_related("hiu", "person")
        return consent_view(
            row, row.person.abha_number, row.hiu.name, await self._artefact_views(row)
        )

    # --- status changes --------------------------------------------------------------------

    async def _move(
        self, row: ConsentRequest, expected: ConsentStatus, to: ConsentStatus, **changes: Any
    ) -> bool:
        """REQUESTED -> GRANTED and friends, only if the request is still `expected`."""
        now = self._clock.now()
        moved = await ConsentRequest.filter(seq=row.seq, status=expected).update(
            status=to, updated_at=now, **changes
        )
        if moved == 1:
            row.status = to
            row.updated_at = now
            for name, value in changes.items():
                setattr(row, name, value)
        return moved == 1

    async def _end_artefacts(self, row: ConsentRequest, to: ConsentStatus) -> None:
        await ConsentArtefact.filter(request_id=row.seq, status=ConsentStatus.GRANTED).update(
            status=to, updated_at=self._clock.now()
        )

    async def _announce(self, row: ConsentRequest) -> None:
        """Queue the request's current status for its HIU (inside the caller's transaction)."""
        artefacts = await ConsentArtefact.filter(request_id=row.seq).order_by("seq")
        body = {
            "consentRequestId": row.id,
            "hiuRequestId": row.hiu_request_id,
            "status": row.status.value,
            "consentArtefacts": [
                {
                    "id": a.id,
                    "hipId": str(a.hip_id),  # type: ignore[attr-defined]
                    "status": ConsentStatus(a.status).value,
                    **({"signedArtefact": a.signed} if a.status is ConsentStatus.GRANTED else {}),
                }
                for a in artefacts
            ],
        }
        await self.callbacks.queue(row, ConsentStatus(row.status), body)

    async def _audit_request(
        self, action: str, row: ConsentRequest, *, actor: str, channel: str, **detail: Any
    ) -> None:
        await row.fetch_related("person")
        await self._audit.record(
            action,
            actor=actor,
            subject=row.person.abha_number,
            channel=channel,
            detail={"request": row.id, "hiu": str(row.hiu_id), **detail},  # type: ignore[attr-defined]
        )

    def _now(self) -> datetime:
        return self._clock.now()
