"""`OtpService`: one-time passwords by SMS, with ABDM's limits.

Rules (numbers from `Settings`): 6 digits valid 10 minutes; a resend (a fresh code) after 60 s,
at most 3 sends per transaction; 5 wrong codes for one mobile and PURPOSE within 30 minutes, in
any number of transactions, end the transaction and lock that mobile for that purpose for 30
minutes; at most N sends to one mobile per hour, across transactions and purposes.

Why per purpose: five wrong codes typed by a stranger on the anonymous doctor-registration OTP
locked the ABHA login of the person who owns that mobile. Why across transactions: counted per
transaction, twelve guesses over three transactions locked nothing.

Why the failure counts, locks and send counts live in the state store (`core.state.strikes`,
`_claim_send`): each is claimed by one compare-and-set before the code is compared or the SMS
queued, so a burst of guesses on several transactions at once gets at most five codes checked,
and a lock set by that burst holds against the right code; and an OTP hop writes no counter
rows to the database. Locks written by older versions (`OtpMobileLock`, the whole mobile) are
still honoured until they end, and purged after (a process asks whether any is in force at
most every 5 minutes, not on every call: `_legacy_locks_live`); old `OtpSend` rows are only
purged.

Why the transactions live in the state store too (`core.otp.challenges`, issue 18): a code's
ten-minute life cost a registration three SQL statements; the table is only read for
transactions an older version started.

Why compare-and-set updates: two USSD hops, or a hop and a Telegram message, can verify one
transaction at the same moment. Every state change is a compare-and-set on the transaction's
value as this call read it (status, attempt count, current code), so exactly one of two racing
calls wins and the loser re-reads and answers from the new state (e.g. `otp.used`). The loop
ends because each lost race means another call made progress, and a transaction has only a few
states to pass through.
"""

from __future__ import annotations

import json
import math
import random
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from core.clock import Clock
from core.errors import Conflict, InvalidInput, Locked, NotFound
from core.otp.challenges import Challenges
from core.otp.codes import code_hash, code_matches, new_code, new_salt
from core.otp.models import OtpMobileLock, OtpSend, OtpStatus, OtpTransaction
from core.settings import Settings
from core.sms.gateways import mask_number
from core.sms.outbox import E164, SmsService
from core.sms.sealing import Sealer
from core.state import StateStore
from core.state.memory import MemoryStateStore
from core.state.strikes import StrikeRule, Strikes, StruckOut

RATE_WINDOW = timedelta(hours=1)
#: How often a process asks again whether an older version's OTP lock rows may be in force.
LEGACY_REREAD = timedelta(minutes=5)
#: The key of the one entry a transaction's payload column holds: the payload, sealed.
SEALED = "sealed"


@dataclass(frozen=True, slots=True)
class OtpTicket:
    txn_id: str
    mobile: str
    masked_mobile: str
    expires_at: datetime
    resend_at: datetime
    sends: int


def _wait_params(now: datetime, until: datetime) -> dict[str, Any]:
    """`until` for machines, `seconds`/`minutes` (rounded up) for the message a person reads."""
    seconds = max(1, math.ceil((until - now).total_seconds()))
    return {"until": until.isoformat(), "seconds": seconds, "minutes": math.ceil(seconds / 60)}


#: How long a finished or expired transaction is kept for support questions ("I got no code"),
#: after which its mobile number has no reason to stay. Longer than any use of a verified
#: transaction id as proof (core.professionals: 30 minutes).
TRANSACTION_RETENTION = timedelta(days=1)

#: The longest transaction id we issue (a UUID's text) and the column's width: a longer one
#: names no transaction, and must be answered `otp.unknown` before it reaches the database
#: (tortoise refuses a value wider than the column, which would otherwise end as a 500).
TXN_ID_MAX_LENGTH = 36


def _subject(mobile: str, purpose: str) -> str:
    """Whose failures count together: one mobile, for one purpose."""
    return f"{purpose}:{mobile}"


class OtpService:
    def __init__(
        self,
        settings: Settings,
        clock: Clock,
        rng: random.Random,
        sms: SmsService,
        *,
        state: StateStore | None = None,
    ) -> None:
        """`state`: where failure counts, locks and send counts live; pass the shared store
        (build_services does); the in-process default suits one process and tests."""
        self._settings = settings
        self._clock = clock
        self._rng = rng
        self._sms = sms
        self._secret = settings.secret_key.get_secret_value()
        self._sealer = Sealer(self._secret, purpose=b"arogya.otp.payload.v1")
        self._ttl = timedelta(seconds=settings.otp_ttl_seconds)
        self._resend_after = timedelta(seconds=settings.otp_resend_after_seconds)
        self._state: StateStore = state if state is not None else MemoryStateStore()
        self._challenges = Challenges(self._state, TRANSACTION_RETENTION)
        lockout = timedelta(seconds=settings.otp_lockout_seconds)
        self._legacy_live = True
        self._legacy_read_at: datetime | None = None
        self._strikes = Strikes(
            self._state,
            "otp-strikes",
            StrikeRule(settings.otp_max_attempts, window=lockout, lockout=lockout),
        )

    async def start(
        self,
        mobile: str,
        purpose: str,
        lang: str,
        *,
        message_key: str = "sms.otp",
        payload: dict[str, Any] | None = None,
        counted: bool = True,
    ) -> OtpTicket:
        """Open a transaction and send its first code (`message_key` gets `otp` and `minutes`).

        `counted=False` leaves this first send out of the mobile's hourly limit, for a caller
        that bounds it by a quota of its own (a health worker's attestations, which go to her
        own phone all day: `core.workers.assisted`); resends are always counted.

        Errors: `otp.locked` (until), `otp.rate_limited` (until).
        """
        if not E164.match(mobile):
            raise ValueError("an OTP goes to an E.164 number (core.healthid.mobile normalises)")
        now = self._clock.now()
        await self._refuse_if_locked(mobile, purpose, now)
        txn_id = str(uuid.UUID(int=self._rng.getrandbits(128), version=4))
        if counted:
            await self._claim_send(mobile, now)
        code, salt = new_code(self._rng), new_salt(self._rng)
        txn = OtpTransaction(
            id=txn_id,
            purpose=purpose,
            mobile=mobile,
            message_key=message_key,
            code_salt=salt,
            code_hash=code_hash(self._secret, salt, txn_id, code),
            # eKYC (name, birth date, address) rides here: sealed like an SMS body, bound
            # to this transaction, so a dump or a SELECT shows none of it.
            payload={SEALED: self._sealer.seal(json.dumps(payload or {}), txn_id)},
            created_at=now,
            expires_at=now + self._ttl,
            last_sent_at=now,
            sends=1,
            attempts=0,
            status=OtpStatus.ACTIVE,
            verified_at=None,
            locked_until=None,
        )
        await self._challenges.add(txn, now)
        await self._send_code(txn, code, lang)
        return self._ticket(txn)

    async def resend(self, txn_id: str, lang: str) -> OtpTicket:
        """Send a fresh code (the old one stops working) and give it a fresh 10 minutes.

        Errors: `otp.unknown`, `otp.used`, `otp.locked`, `otp.expired`, `otp.resend_limit`,
        `otp.resend_too_soon` (seconds), `otp.rate_limited`. Wrong attempts are not reset.
        """
        while True:
            now = self._clock.now()
            txn, read = await self._live(txn_id, now)
            if txn.sends >= self._settings.otp_max_sends:
                raise Conflict("otp.resend_limit")
            resend_at = txn.last_sent_at + self._resend_after
            if now < resend_at:
                raise Locked("otp.resend_too_soon", **_wait_params(now, resend_at))
            await self._claim_send(txn.mobile, now)
            code, salt = new_code(self._rng), new_salt(self._rng)
            txn.code_salt = salt
            txn.code_hash = code_hash(self._secret, salt, txn_id, code)
            txn.sends += 1
            txn.last_sent_at = now
            txn.expires_at = now + self._ttl
            if not await self._challenges.replace(txn_id, read, txn, now):
                await self._refund_send(txn.mobile, now)  # a racing call changed it: again
                continue
            await self._send_code(txn, code, lang)
            return self._ticket(txn)

    async def verify(self, txn_id: str, code: str) -> OtpTicket:
        """Check a code; on success the transaction is used up.

        Errors: `otp.unknown`, `otp.used`, `otp.locked` (until), `otp.expired`,
        `otp.invalid` (attempts_left). The last allowed wrong code for the mobile and purpose
        (in this transaction or another) locks them.
        """
        code = code.strip()
        while True:
            now = self._clock.now()
            txn, read = await self._live(txn_id, now)
            subject = _subject(txn.mobile, txn.purpose)
            try:
                claimed = await self._strikes.claim(subject, now)
                if code_matches(self._secret, txn.code_salt, txn_id, code, txn.code_hash):
                    await self._strikes.succeed(subject, now, forgive=False)
                    txn.status, txn.verified_at = OtpStatus.USED, now
                    if await self._challenges.replace(txn_id, read, txn, now):
                        return self._ticket(txn)
                    continue  # a racing verify or resend changed it: answer from its state
                await self._count_attempt(txn_id, now)
                await self._strikes.fail(subject, claimed, now)
            except StruckOut as exc:
                await self._end_locked(txn_id, exc.until, now)
                raise Locked("otp.locked", **_wait_params(now, exc.until)) from None
            raise InvalidInput(
                "otp.invalid", attempts_left=self._settings.otp_max_attempts - claimed
            )

    async def find(self, txn_id: str) -> OtpTransaction | None:
        """The transaction with this id (read only: e.g. a verified one as proof of a mobile),
        or None; an id no transaction can have is None too."""
        if not txn_id or len(txn_id) > TXN_ID_MAX_LENGTH:
            return None
        found = await self._challenges.read(txn_id, self._clock.now())
        return None if found is None else found[0]

    async def _count_attempt(self, txn_id: str, now: datetime) -> None:
        """One more wrong code on the transaction (for support; the limit is the strikes')."""
        while (found := await self._challenges.read(txn_id, now)) is not None:
            txn, read = found
            txn.attempts += 1
            if await self._challenges.replace(txn_id, read, txn, now):
                return

    async def _end_locked(self, txn_id: str, until: datetime, now: datetime) -> None:
        """An active transaction ends FAILED with the lock's end, for racing calls to read."""
        while (found := await self._challenges.read(txn_id, now)) is not None:
            txn, read = found
            if txn.status is not OtpStatus.ACTIVE:
                return
            txn.status, txn.locked_until = OtpStatus.FAILED, until
            if await self._challenges.replace(txn_id, read, txn, now):
                return

    async def payload(self, txn_id: str) -> dict[str, Any]:
        """The data the caller attached at `start` (`otp.unknown` if there is no such txn)."""
        txn = await self.find(txn_id)
        if txn is None:
            raise NotFound("otp.unknown")
        stored = dict(txn.payload)
        if SEALED not in stored:
            return stored  # written before payloads were sealed
        opened: dict[str, Any] = json.loads(self._sealer.open(str(stored[SEALED]), txn_id))
        return opened

    async def _live(self, txn_id: str, now: datetime) -> tuple[OtpTransaction, Any]:
        """The transaction (and the value read, for a compare-and-set) if it can still take a
        resend or a code, else the right refusal."""
        found = None
        if txn_id and len(txn_id) <= TXN_ID_MAX_LENGTH:
            found = await self._challenges.read(txn_id, now)
        if found is None:
            raise NotFound("otp.unknown")
        txn = found[0]
        if txn.status is OtpStatus.USED:
            raise Conflict("otp.used")
        await self._refuse_if_locked(txn.mobile, txn.purpose, now)
        if txn.status is OtpStatus.FAILED:
            # Read from the transaction too: a racing call may not have written the mobile's
            # lock yet. Once the lock has run out, the transaction is long past its 10 minutes.
            if txn.locked_until is not None and txn.locked_until > now:
                raise Locked("otp.locked", **_wait_params(now, txn.locked_until))
            raise Conflict("otp.expired")
        if now >= txn.expires_at:
            raise Conflict("otp.expired")
        return found

    async def _refuse_if_locked(self, mobile: str, purpose: str, now: datetime) -> None:
        until = await self._strikes.locked_until(_subject(mobile, purpose), now)
        if until is not None:
            raise Locked("otp.locked", **_wait_params(now, until))
        if not await self._legacy_locks_live(now):
            return
        legacy = await OtpMobileLock.get_or_none(mobile=mobile)  # set by an older version
        if legacy is not None and legacy.locked_until > now:
            raise Locked("otp.locked", **_wait_params(now, legacy.locked_until))

    async def prepare(self) -> None:
        """Ask as the process starts whether an older version's lock rows are in force, so the
        first OTP after a start does not (build_services calls it; storage must be open)."""
        await self._legacy_locks_live(self._clock.now())

    async def _legacy_locks_live(self, now: datetime) -> bool:
        """Whether any lock an older version wrote (`OtpMobileLock`) may still be in force.

        Why not ask per mobile on every call: this version never writes that table, so once no
        row is in force none can be again, and the per-mobile SELECT was two statements of every
        registration (issue 18). Asked at most every `LEGACY_REREAD` per process (a rolling
        upgrade's old processes may still write one meanwhile); while any row is in force, each
        call looks up its mobile as before.
        """
        read_at = self._legacy_read_at
        if read_at is None or not read_at <= now < read_at + LEGACY_REREAD:
            self._legacy_live = await OtpMobileLock.filter(locked_until__gt=now).exists()
            self._legacy_read_at = now
        return self._legacy_live

    async def purge(self) -> int:
        """Forget what no rule needs any more: the rows older versions wrote (transactions
        expired a day ago, sends and locks once past their window). Returns the rows dropped.
        (Transactions, counts and locks in the state store expire by themselves.)"""
        now = self._clock.now()
        dropped = await OtpTransaction.filter(expires_at__lte=now - TRANSACTION_RETENTION).delete()
        dropped += await OtpSend.filter(at__lte=now - RATE_WINDOW).delete()
        dropped += await OtpMobileLock.filter(locked_until__lte=now).delete()
        return dropped

    async def _claim_send(self, mobile: str, now: datetime) -> None:
        """Count a send against the mobile's hourly limit before it happens, or refuse.

        One compare-and-set over the send times of the last hour, so racing calls at the limit
        cannot both pass. A send that is then not made gives its claim back (`_refund_send`).
        """
        key = f"otp-sends:{mobile}"
        limit = self._settings.otp_sends_per_mobile_per_hour
        ttl = RATE_WINDOW.total_seconds() + 60
        while True:
            current = await self._state.get_json(key)
            recent = sorted(
                at for at in (current or []) if datetime.fromisoformat(at) > now - RATE_WINDOW
            )
            if len(recent) >= limit:
                frees_at = datetime.fromisoformat(recent[len(recent) - limit]) + RATE_WINDOW
                raise Locked("otp.rate_limited", **_wait_params(now, frees_at))
            if await self._state.compare_and_set(key, current, [*recent, now.isoformat()], ttl):
                return

    async def _refund_send(self, mobile: str, now: datetime) -> None:
        key = f"otp-sends:{mobile}"
        ttl = RATE_WINDOW.total_seconds() + 60
        while True:
            current = await self._state.get_json(key)
            if not current or now.isoformat() not in current:
                return
            remaining = list(current)
            remaining.remove(now.isoformat())
            if await self._state.compare_and_set(key, current, remaining, ttl):
                return

    async def _send_code(self, txn: OtpTransaction, code: str, lang: str) -> None:
        minutes = math.ceil(self._settings.otp_ttl_seconds / 60)
        await self._sms.send(txn.mobile, txn.message_key, {"otp": code, "minutes": minutes}, lang)

    def _ticket(self, txn: OtpTransaction) -> OtpTicket:
        return OtpTicket(
            txn_id=txn.id,
            mobile=txn.mobile,
            masked_mobile=mask_number(txn.mobile),
            expires_at=txn.expires_at,
            resend_at=txn.last_sent_at + self._resend_after,
            sends=txn.sends,
        )
