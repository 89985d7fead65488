"""Enrolment through ABDM (the `abdm` adapter's first half): ABHAs issued by ABHA v3.

Why a `HealthIdService` underneath: the rest of Arogya (records, consent, Telegram chats, the
PIN that guards consent answers) stands on a local `Person`, so each ABHA that ABDM issues or
finds is mirrored locally under ABDM's own number and address, with kyc `verified`. What only
ABDM may decide goes to ABDM; the rest (the PIN, the draft's summary, status, card rendering)
is the embedded registry's, applied to the mirror. The flows call the same methods either way:

    start_aadhaar   -> POST /v3/enrollment/request/otp      (Aadhaar encrypted, otpSystem aadhaar)
    verify_aadhaar  -> POST /v3/enrollment/enrol/byAadhaar  (OTP encrypted, mobile, consent 1.4)
                       ABDM creates the ABHA here; `isNew` false = it existed: offered, not made
    suggest_addresses -> GET /v3/enrollment/enrol/suggestion (TRANSACTION_ID)
    finish          -> POST /v3/enrollment/enrol/abha-address (preferred 1), then the mirror

The Aadhaar number is encrypted before it leaves and otherwise kept only as the embedded
registry keeps it (keyed hash, last 4). A retried step after a timeout cannot make a second
ABHA: ABDM holds one per Aadhaar, and `AbdmEnrolment.pending` lets the retry take ABDM's
"existing" answer as its own enrolment (see `core.abdm.models`).
"""

from __future__ import annotations

import logging
import random
from datetime import timedelta
from typing import Any

from core.abdm import mobile, wire
from core.abdm.client import AbdmClient, Json, text_field
from core.abdm.faults import AbdmRefused, bad_answer, to_error
from core.abdm.models import AbdmEnrolment
from core.abdm.profile import address_of, demographics
from core.audit.service import AuditLog
from core.clock import Clock
from core.errors import Conflict, Forbidden
from core.healthid import aadhaar as aadhaar_numbers
from core.healthid import address as abha_address
from core.healthid import mobile as mobile_numbers
from core.healthid import numbers
from core.healthid.aadhaar_gateway import AadhaarGateway
from core.healthid.drafts import Draft
from core.healthid.models import Kyc, Person
from core.healthid.profile import Demographics
from core.healthid.service import HealthIdService
from core.healthid.views import Enrolment, PersonView, enrolment_view, person_view
from core.otp.service import OtpService, OtpTicket
from core.settings import Settings
from core.state import StateStore

log = logging.getLogger(__name__)

#: ABDM's Aadhaar OTP lives 10 minutes; a resend is a new request (ABDM has no resend call).
OTP_LIFE = timedelta(minutes=10)
Headers = dict[str, str] | None


class AbdmEnrolling(HealthIdService):
    def __init__(
        self,
        settings: Settings,
        clock: Clock,
        rng: random.Random,
        otp: OtpService,
        aadhaar: AadhaarGateway,
        audit: AuditLog,
        client: AbdmClient,
        *,
        state: StateStore | None = None,
    ) -> None:
        super().__init__(settings, clock, rng, otp, aadhaar, audit, state=state)
        self._client = client
        self._suffix = settings.abdm_cm_id

    async def close(self) -> None:
        await self._client.close()

    async def _abdm(
        self, method: str, path: str, body: Json | None = None, *, headers: Headers = None
    ) -> Json:
        """One ABDM call; its refusals said as the embedded registry's typed errors."""
        try:
            return await self._client.call(method, path, body, extra=headers)
        except AbdmRefused as refused:
            raise to_error(refused) from None

    async def _encrypt(self, value: str) -> str:
        """`value` under ABDM's key (fetching the certificate may itself be refused)."""
        try:
            return await self._client.encrypt(value)
        except AbdmRefused as refused:
            raise to_error(refused) from None

    # --- enrolment by Aadhaar --------------------------------------------------------------

    async def start_mobile(self, mobile: str, *, lang: str, channel: str) -> OtpTicket:
        """Refused: ABDM issues ABHA numbers only after Aadhaar KYC, and its mobile-only
        enrolment (an ABHA address, through the PHR APIs) is not wired yet; a number made
        here would look real and work nowhere (docs/abdm.md)."""
        self._check_channel(channel)
        raise Conflict("abdm.mobile_only")

    async def start_attested(self, worker_mobile: str, *, lang: str, channel: str) -> OtpTicket:
        """Refused: ABDM has no enrolment without the person's own Aadhaar or mobile OTP, and
        its mobile path would bind the worker's number to the ABHA (docs/abdm.md)."""
        self._check_channel(channel)
        raise Forbidden("worker.attested_not_offered")

    async def start_aadhaar(
        self, aadhaar: str, mobile: str, *, lang: str, channel: str
    ) -> OtpTicket:
        self._check_channel(channel)
        number = aadhaar_numbers.parse(aadhaar)
        e164 = mobile_numbers.parse(mobile)
        login_id = await self._encrypt(number)
        answer = await self._abdm(
            "POST",
            wire.ENROL_OTP_PATH,
            {
                "txnId": "",
                "scope": ["abha-enrol"],
                "loginHint": "aadhaar",
                "loginId": login_id,
                "otpSystem": "aadhaar",
            },
        )
        txn = text_field(answer, "txnId", wire.ENROL_OTP_PATH)
        now = self._clock.now()
        ticket = OtpTicket(
            txn, e164, mobile_numbers.mask(e164), now + OTP_LIFE, now + timedelta(seconds=60), 1
        )
        await self._open_draft(
            ticket,
            Kyc.VERIFIED,
            lang,
            channel,
            aadhaar_hmac=aadhaar_numbers.keyed_hash(number, self._aadhaar_key),
            aadhaar_last4=aadhaar_numbers.last4(number),
        )
        draft = await self._drafts.by_txn(txn)
        if draft is None or draft.expires_at is None:
            raise Conflict("aadhaar.txn_expired")  # just written: only a lost store gets here
        await self._drafts.link_aadhaar(draft)  # for `_timed_out_before`
        await AbdmEnrolment.create(draft_id=draft.id, txn_id=txn, expires_at=draft.expires_at)
        return ticket

    async def resend_otp(self, txn_id: str, *, lang: str) -> OtpTicket:
        """ABDM has no resend for an Aadhaar OTP: a new request, so the Aadhaar is typed again
        (it was never kept); `aadhaar.txn_expired` makes the flow ask for it."""
        draft = await self._drafts.by_txn(txn_id)
        side = await AbdmEnrolment.get_or_none(draft_id=draft.id) if draft else None
        if draft is not None and side is not None and side.mobile_pending:
            await mobile.ask_mobile_otp(self, side, draft.mobile)
            now = self._clock.now()
            return OtpTicket(
                txn_id,
                draft.mobile,
                mobile_numbers.mask(draft.mobile),
                now + OTP_LIFE,
                now + timedelta(seconds=60),
                1,
            )
        if side is not None:
            raise Conflict("aadhaar.txn_expired")
        return await super().resend_otp(txn_id, lang=lang)

    async def verify_aadhaar(self, txn_id: str, otp: str) -> Enrolment:
        draft = await self._draft_for_txn(txn_id, Kyc.VERIFIED, Conflict("aadhaar.txn_expired"))
        side = await AbdmEnrolment.get_or_none(draft_id=draft.id)
        if side is None:
            raise Conflict("aadhaar.txn_expired")
        if side.mobile_pending:  # this code is ABDM's OTP to the communication mobile
            await mobile.check_mobile_otp(self, side, draft, otp)
            return await self._save(draft)
        if side.abha_number is not None:  # verified already (the code typed again after back)
            return enrolment_view(draft)
        otp_value = await self._encrypt(otp)
        was_pending = side.pending == "byAadhaar"
        side.pending = "byAadhaar"
        await side.save(update_fields=["pending"])
        answer = await self._abdm(
            "POST",
            wire.ENROL_BY_AADHAAR_PATH,
            {
                "authData": {
                    "authMethods": ["otp"],
                    "otp": {
                        "timeStamp": wire.timestamp(self._clock.now()),
                        "txnId": txn_id,
                        "otpValue": otp_value,
                        "mobile": draft.mobile.removeprefix("+91"),
                    },
                },
                "consent": dict(wire.CONSENT),
            },
        )
        profile = answer.get("ABHAProfile")
        if not isinstance(profile, dict):
            raise bad_answer(wire.ENROL_BY_AADHAAR_PATH, "ABHAProfile")
        number = numbers.compact(text_field(profile, "ABHANumber", wire.ENROL_BY_AADHAAR_PATH))
        if not numbers.is_valid(number):
            raise bad_answer(wire.ENROL_BY_AADHAAR_PATH, "ABHANumber")
        person = demographics(profile, wire.ENROL_BY_AADHAAR_PATH)
        existed = answer.get("isNew") is False
        if existed and (was_pending or await self._timed_out_before(draft)):
            existed = False  # ABDM made it for our own call that timed out: carry on with it
        if existed:
            mirrored = await self._mirror(number, person, draft, address_of(profile))
            await side.delete()
            await self._drafts.delete(draft)
            return enrolment_view(draft, existing=mirrored)
        side.abha_number = number
        side.txn_id = str(answer.get("txnId") or txn_id)
        side.pending = None
        await side.save()
        draft.demographics = person.to_json()
        linked = str(profile.get("mobile") or "") == draft.mobile.removeprefix("+91")
        draft.mobile_verified = linked
        enrolment = await self._save(draft)
        if not linked:  # not the Aadhaar-linked mobile: ABDM's own OTP must prove it
            await mobile.ask_mobile_otp(self, side, draft.mobile)
            raise mobile.pending(draft.mobile)
        return enrolment

    async def _timed_out_before(self, draft: Draft) -> bool:
        """Did an earlier enrolment of this Aadhaar send `byAadhaar` and never hear back?

        Then the ABHA ABDM now calls existing is the one that call made (ABDM keeps one per
        Aadhaar): this enrolment continues with it instead of offering it as someone's old
        ABHA. The stale enrolment is dropped.
        """
        others = {
            other.id: other for other in await self._drafts.same_aadhaar(draft, self._clock.now())
        }
        stale = AbdmEnrolment.filter(
            draft_id__in=list(others), pending="byAadhaar", abha_number__isnull=True
        )
        ids = list(await stale.values_list("draft_id", flat=True))
        if not ids:
            return False
        await AbdmEnrolment.filter(draft_id__in=ids).delete()
        for stale_id in ids:
            await self._drafts.delete(others[str(stale_id)])
        return True

    # --- address ---------------------------------------------------------------------------

    async def suggest_addresses(self, draft_id: str) -> list[str]:
        side = await AbdmEnrolment.get_or_none(draft_id=draft_id)
        if side is None or side.abha_number is None:
            return await super().suggest_addresses(draft_id)
        await self._live_draft(draft_id)
        answer = await self._abdm(
            "GET", wire.SUGGESTION_PATH, headers={"TRANSACTION_ID": side.txn_id}
        )
        listed = answer.get("abhaAddressList")
        if not isinstance(listed, list):
            raise bad_answer(wire.SUGGESTION_PATH, "abhaAddressList")
        handles = []
        for item in listed:
            handle = str(item).split("@")[0].lower()
            if abha_address.is_valid_handle(handle):
                handles.append(handle)
        return handles

    async def finish(self, draft_id: str, *, channel: str) -> PersonView:
        side = await AbdmEnrolment.get_or_none(draft_id=draft_id)
        if side is None:
            return await super().finish(draft_id, channel=channel)
        self._check_channel(channel)
        draft = await self._live_draft(draft_id)
        if side.abha_number is None or draft.address is None or draft.demographics is None:
            raise Conflict("draft.incomplete")
        handle = abha_address.handle_of(draft.address)
        if side.address is None:
            was_pending = side.pending == "address"
            side.pending = "address"
            await side.save(update_fields=["pending"])
            try:
                answer = await self._abdm(
                    "POST",
                    wire.ABHA_ADDRESS_PATH,
                    {
                        "txnId": side.txn_id,
                        "abhaAddress": handle,
                        "preferred": 1,
                    },
                )
            except Conflict as taken:
                # After a timeout, ABDM may have linked it already: "taken" by this very ABHA.
                if taken.code != "address.taken" or not was_pending:
                    raise
                answer = {"preferredAbhaAddress": f"{handle}@{self._suffix}"}
            side.address = str(answer.get("preferredAbhaAddress") or f"{handle}@{self._suffix}")
            side.pending = None
            await side.save(update_fields=["address", "pending"])
        person = Demographics.from_json(draft.demographics)
        mirrored = await self._mirror(side.abha_number, person, draft, side.address)
        await self._record(
            "abha.enrolled",
            await Person.get(abha_number=side.abha_number),
            channel,
            {"kyc": "verified", "registry": "abdm"},
        )
        await side.delete()
        await self._drafts.delete(draft)
        return mirrored

    async def _mirror(
        self, number: str, person: Demographics, draft: Draft, address: str | None
    ) -> PersonView:
        """The local copy of an ABDM ABHA (created or refreshed), which records stand on."""
        number = numbers.compact(number)
        address = (address or f"{number}@{self._suffix}").lower()
        now = self._clock.now()
        values: dict[str, Any] = {
            "address": address,
            "first_name": person.first_name,
            "middle_name": person.middle_name,
            "last_name": person.last_name,
            "gender": person.gender,
            "year_of_birth": person.year_of_birth,
            "month_of_birth": person.month_of_birth,
            "day_of_birth": person.day_of_birth,
            "address_line": person.address_line,
            "state_lgd": person.state_lgd or None,
            "district_lgd": person.district_lgd or None,
            "pin_code": person.pin_code or None,
            "mobile": draft.mobile,
            "kyc": Kyc.VERIFIED,
            "updated_at": now,
        }
        existing = await Person.get_or_none(abha_number=number)
        hmac = draft.aadhaar_hmac
        if hmac and await Person.filter(aadhaar_hmac=hmac).exclude(abha_number=number).exists():
            hmac = None  # an embedded-era ABHA of this Aadhaar keeps its hash
        if existing is not None:
            existing.update_from_dict(values)
            if draft.pin_hash and existing.pin_hash is None:
                existing.pin_hash = draft.pin_hash
            await existing.save()
            return person_view(existing)
        created = await Person.create(
            abha_number=number,
            aadhaar_hmac=hmac,
            aadhaar_last4=draft.aadhaar_last4,
            language=draft.language,
            pin_hash=draft.pin_hash,
            created_at=now,
            **values,
        )
        return person_view(created)
