"""Ending and then forgetting every consent of a deleted ABHA.

Why consent does this itself: only the consent manager may move a request's status, and each
move must reach the HIU through the callback outbox, in order, signed, like the holder's own
revoke. A deleted person has no PIN any more, so these moves are the registry's, audited as
such (`reason: abha.deleted`).

Why the loop: a grant racing the deletion may move a request to GRANTED after this read it as
REQUESTED; the DENIED move then finds nothing, and the next pass revokes the grant. A grant that
starts after the person is DELETED is refused by the grant itself (`AnswerSteps.grant` checks
the holder again inside its transaction), so the passes end.
"""

from __future__ import annotations

from tortoise.transactions import in_transaction

from core.consent.base import ConsentCore
from core.consent.models import ConsentArtefact, ConsentCallback, ConsentRequest, ConsentStatus

LIVE = (ConsentStatus.REQUESTED, ConsentStatus.GRANTED)
REASON = "abha.deleted"


class ErasureSteps(ConsentCore):
    async def end_for_person(self, person_id: int, *, channel: str) -> int:
        """Deny every open request and revoke every grant of the person; each HIU is told.
        Returns how many requests moved."""
        moved = 0
        while True:
            rows = await ConsentRequest.filter(person_id=person_id, status__in=LIVE).order_by("seq")
            if not rows:
                return moved
            for row in rows:
                moved += await self._end(row, channel)

    async def _end(self, row: ConsentRequest, channel: str) -> int:
        await row.fetch_related("person")
        actor = row.person.abha_number
        async with in_transaction():
            if row.status is ConsentStatus.GRANTED:
                if not await self._move(row, ConsentStatus.GRANTED, ConsentStatus.REVOKED):
                    return 0
                await self._end_artefacts(row, ConsentStatus.REVOKED)
                action = "consent.revoked"
            else:
                now = self._now()
                if not await self._move(
                    row,
                    ConsentStatus.REQUESTED,
                    ConsentStatus.DENIED,
                    decided_at=now,
                    decided_channel=channel,
                ):
                    return 0
                action = "consent.denied"
            await self._audit_request(action, row, actor=actor, channel=channel, reason=REASON)
            await self._announce(row)
        return 1

    async def purge_person(self, person_id: int) -> int:
        """Forget the person's requests, artefacts and their callbacks (at the end of the
        grace period, when every HIU has long been told). Returns rows deleted."""
        requests = ConsentRequest.filter(person_id=person_id)
        seqs = await requests.values_list("seq", flat=True)
        dropped = await ConsentCallback.filter(request_id__in=seqs).delete() if seqs else 0
        dropped += await ConsentArtefact.filter(person_id=person_id).delete()
        dropped += await requests.delete()
        return dropped
