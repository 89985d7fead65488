"""Deactivate, reactivate, delete: each proved twice, by the PIN and by an OTP to the ABHA's
mobile, each confirmed by SMS in the holder's language; and the purge that ends a deletion.

Why both proofs: the PIN says it is the holder (a family phone receives the OTP too), the OTP
says the registered mobile is in hand (a PIN seen over a shoulder is not enough to erase a
health history). The PIN is checked first, with its lockout, so the OTP is never sent for a
wrong PIN; the action happens only when the OTP is used, which is atomic (`OtpService.verify`).

Delete, in order: the person is wiped to a tombstone (the ABHA number and address are never
reissued) and an `Erasure` row opens the grace period (ABDM's 7 days);
then every consent of theirs ends (open requests denied, grants and their artefacts revoked,
each HIU told through the consent callback outbox), and each HIP that linked visits is told
`abha.deleted` through its own outbox (`core.leaving.hip_notices`), queued in the same
transaction as the wipe. Records and artefacts stay sealed and
unreadable until `purge_due` (run by housekeeping) deletes them after the grace period. Because
the person turns DELETED first, a racing consent grant or record push re-reads the holder
inside its own transaction and is refused (`abha.inactive` / `abha.deleted`).

    ticket = await leaving.start(abha, "delete", pin, lang="hi", channel="ussd")
    await leaving.confirm(ticket.txn_id, otp, channel="ussd")
"""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from tortoise.transactions import in_transaction

from core.abdm.leave import AbdmLeaving
from core.audit.service import AuditLog
from core.clock import Clock
from core.consent.service import ConsentService
from core.errors import Conflict, NotFound
from core.healthid import numbers
from core.healthid.models import Person, PersonStatus
from core.healthid.service import HealthIdService
from core.leaving.disown import WINDOW_DAYS, Disowning
from core.leaving.hip_notices import HipNoticeOutbox
from core.leaving.models import Erasure
from core.notify.models import Notification
from core.otp.service import OtpService, OtpTicket
from core.records import erasure as records_erasure
from core.sms.models import SmsOutbox
from core.sms.outbox import SmsService

Action = Literal["deactivate", "reactivate", "delete"]
ACTIONS: tuple[Action, ...] = ("deactivate", "reactivate", "delete")
LEAVE_PURPOSE = "abha.leave"
#: ABDM keeps a deleted ABHA's data this long before it is purged.
GRACE_DAYS = 7
#: The SMS each action sends when it is done (DLT templates in core.sms.templates).
CONFIRMATION = {action: f"sms.leave.{action}" for action in ACTIONS}
#: In `abdm` mode a deactivated ABHA is turned on again in the ABHA app, not from our menu.
NATIONAL_DEACTIVATED = "sms.leave.deactivate_abdm"
#: The outboxes' rows to the wiped mobile queued up to this long after the deletion (its
#: confirmation SMS) are purged with it.
OUTBOX_SLACK = timedelta(hours=1)
#: Which status each action needs to start from.
FROM: dict[Action, tuple[PersonStatus, ...]] = {
    "deactivate": (PersonStatus.ACTIVE,),
    "reactivate": (PersonStatus.DEACTIVATED,),
    "delete": (PersonStatus.ACTIVE, PersonStatus.DEACTIVATED),
}


def parse_action(text: object) -> Action:
    if text not in ACTIONS:
        raise ValueError(f"unknown action {text!r}")
    return text


class LeaveService:
    def __init__(
        self,
        clock: Clock,
        otp: OtpService,
        sms: SmsService,
        audit: AuditLog,
        healthid: HealthIdService,
        consent: ConsentService,
        hip_notices: HipNoticeOutbox,
        *,
        grace_days: int = GRACE_DAYS,
        disown_window_days: int = WINDOW_DAYS,
        national: bool = False,
    ) -> None:
        self._clock = clock
        self._otp = otp
        self._sms = sms
        self._audit = audit
        self._healthid = healthid
        self._consent = consent
        #: Public for the composition root, which runs its worker.
        self.hip_notices = hip_notices
        self._grace = timedelta(days=grace_days)
        #: The abdm registry adapter: ABDM holds the ABHA, so ABDM deactivates or deletes it
        #: (`core.abdm.leave`, two ABDM OTPs) and the local mirror follows only after ABDM
        #: said yes; reactivation is not offered there (docs/abdm.md).
        self._national = national
        #: "This wasn't me": the mobile's OTP instead of the PIN, for a young ABHA.
        self.disown = Disowning(
            self, clock, otp, sms, audit, window_days=disown_window_days, national=national
        )

    async def _holder(self, abha_number: str, action: Action) -> Person:
        person = await Person.get_or_none(abha_number=numbers.parse(abha_number))
        if person is None:
            raise NotFound("abha.not_found")
        if person.status is PersonStatus.DELETED:
            raise Conflict("abha.deleted")
        if person.status not in FROM[action]:
            key = "leave.already_active" if action == "reactivate" else "leave.already_inactive"
            raise Conflict(key)
        if person.mobile is None:  # pragma: no cover - only tombstones lose the mobile
            raise NotFound("abha.not_found")
        return person

    async def start(
        self, abha_number: str, action: Action, pin: str, *, lang: str, channel: str
    ) -> OtpTicket:
        """Check the PIN (counted, with its lockout), then send an OTP to the ABHA's mobile.

        Errors: `abha.not_found`, `abha.deleted`, `leave.already_*`, `pin.*`, `otp.locked`,
        `otp.rate_limited`, `abdm.reactivate_not_offered`; in `abdm` mode `abdm.*`."""
        action = parse_action(action)
        if self._national and action == "reactivate":
            raise Conflict("abdm.reactivate_not_offered")  # before any PIN or OTP
        person = await self._holder(abha_number, action)
        await self._healthid.verify_pin(person.abha_number, pin, deactivated_too=True)
        if self._national:
            return await self._abdm().start_leave(person.abha_number, action, lang=lang)
        payload = {"kind": LEAVE_PURPOSE, "action": action, "abha": person.abha_number}
        assert person.mobile is not None
        return await self._otp.start(person.mobile, LEAVE_PURPOSE, lang, payload=payload)

    def _abdm(self) -> AbdmLeaving:
        registry = self._healthid
        if not isinstance(registry, AbdmLeaving):  # pragma: no cover - wiring, not input
            raise TypeError("national leaving needs the abdm registry")
        return registry

    async def resend(self, txn_id: str, *, lang: str) -> OtpTicket:
        if self._national:  # ABDM has no resend: a new PIN starts a new ABDM transaction
            raise Conflict("aadhaar.txn_expired")
        return await self._otp.resend(txn_id, lang)

    async def confirm(self, txn_id: str, otp: str, *, channel: str) -> Action:
        """Use the OTP and do what it was sent for; the holder is told by SMS. Returns the
        action done. Errors: `otp.*`, `abha.deleted`, `leave.already_*`; in `abdm` mode also
        `abdm.*` and the `Pending` that asks for ABDM's second OTP."""
        if self._national:

            async def apply(action: str, number: str) -> None:
                person = await self._holder(number, parse_action(action))
                await self._do(parse_action(action), person, channel)

            return parse_action(await self._abdm().confirm_leave(txn_id, otp, apply))
        payload = await self._otp.payload(txn_id)
        if payload.get("kind") != LEAVE_PURPOSE:
            raise NotFound("otp.unknown")
        action = parse_action(payload.get("action"))
        ticket = await self._otp.verify(txn_id, otp)
        person = await self._holder(str(payload["abha"]), action)
        if person.mobile != ticket.mobile:  # the mobile changed since the OTP was sent
            raise NotFound("abha.not_found")
        await self._do(action, person, channel)
        return action

    async def _do(self, action: Action, person: Person, channel: str) -> None:
        """The action on the local registry (the mirror, in `abdm` mode), then the SMS."""
        assert person.mobile is not None
        mobile, lang, number = person.mobile, person.language, person.abha_number
        if action == "deactivate":
            await self._healthid.deactivate(number, channel=channel)
        elif action == "reactivate":
            await self._healthid.reactivate(number, channel=channel)
        else:
            await self.erase(number, reason="holder", channel=channel)
        key = CONFIRMATION[action]
        if self._national and action == "deactivate":
            key = NATIONAL_DEACTIVATED
        await self._sms.send(mobile, key, {"abha_number": number}, lang)

    async def erase(self, abha_number: str, *, reason: str, channel: str) -> None:
        """Wipe the person, open the grace period, end every consent (see the module doc)."""
        person = await Person.get(abha_number=numbers.parse(abha_number))
        mobile = person.mobile
        now = self._clock.now()
        hips = await records_erasure.hips_of(person.id)
        async with in_transaction():
            await self._healthid.delete(person.abha_number, channel=channel)
            await Erasure.create(
                person_id=person.id,
                reason=reason,
                mobile=mobile,
                requested_at=now,
                purge_after=now + self._grace,
            )
            await self._audit.record(
                "abha.erasure_started",
                actor=person.abha_number,
                subject=person.abha_number,
                channel=channel,
                detail={
                    "reason": reason,
                    "hips": hips,
                    "purge_after": (now + self._grace).isoformat(),
                },
            )
            await self.hip_notices.queue_deleted(
                person.id, deleted_at=now, purge_after=now + self._grace
            )
        await self._consent.end_for_person(person.id, channel=channel)

    async def purge_due(self) -> int:
        """Purge every erasure past its grace period: records, visits, consent artefacts and
        requests, and the outboxes' rows to the wiped mobile from its time. On a shared phone
        that includes the other holders' old SMS of that time: delivered long ago, and kept
        by no rule. Returns rows dropped."""
        now = self._clock.now()
        dropped = 0
        for erasure in await Erasure.filter(purged_at=None, purge_after__lte=now):
            async with in_transaction():
                dropped += await self._consent.purge_person(erasure.person_id)  # type: ignore[attr-defined]
                dropped += await self.hip_notices.purge_person(erasure.person_id)  # type: ignore[attr-defined]
                dropped += await records_erasure.purge_person(erasure.person_id)  # type: ignore[attr-defined]
                if erasure.mobile:
                    # Everything queued to the mobile up to the deletion and its confirmation:
                    # by now delivered or dead (SMS retry for minutes, notices for hours), and
                    # it holds her name, her ABHA, her consents' notices.
                    until = erasure.requested_at + OUTBOX_SLACK
                    dropped += await SmsOutbox.filter(
                        to=erasure.mobile, created_at__lte=until
                    ).delete()
                    dropped += await Notification.filter(
                        address=erasure.mobile, created_at__lte=until
                    ).delete()
                await Erasure.filter(id=erasure.id, purged_at=None).update(
                    purged_at=now, mobile=None
                )
        return dropped
