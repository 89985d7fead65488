"""Enrolment drafts in the state store: an enrolment between its first OTP and `finish`.

Why not a table: a draft is per conversation, TTL'd and rewritten at every hop, exactly what
the state store (core.state: in-process, or Redis shared by every web process) is for; in the
`healthid_enrolment_draft` table it cost about half of a registration's SQL statements (its
create, a lookup and an UPDATE per hop, an expiry sweep, a DELETE). The table stays, unused
but for `purge_legacy`, so a deployment upgraded mid-enrolment drops its old rows in
housekeeping.

Keys (greppable in Redis): `draft:id:<id>` holds the draft, `draft:txn:<txn_id>` the id an OTP
transaction opened, `draft:address:<address>` which draft has chosen an address (so two
enrolments are not offered one handle), `draft:aadhaar:<hmac>` the ids of one Aadhaar's drafts
(the abdm adapter's retry-after-timeout rule). Each lives as long as a conversation; the draft's
own `expires_at` is the authority (checked against the service's clock), the TTL only cleans up.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from core.healthid.models import Kyc
from core.state import StateKey, StateStore


@dataclass
class Draft:
    """One enrolment in progress (the fields `EnrolmentDraft` had; the mirror's holder too)."""

    mobile: str  # E.164
    id: str = ""
    txn_id: str = ""  # the OTP transaction that opened it
    kyc: Kyc = Kyc.SELF_DECLARED
    mobile_verified: bool = False
    aadhaar_hmac: str | None = None
    aadhaar_last4: str | None = None
    #: The demographics (eKYC or self-declared) as `Demographics.to_json()`, None until known.
    demographics: dict[str, object] | None = None
    address: str | None = None
    #: The addresses `suggest_addresses` last found free of any ABHA: choosing one of them
    #: needs no second SELECT (the INSERT's unique address still refuses a late clash).
    free: list[str] = field(default_factory=list)
    pin_hash: str | None = None
    language: str = "en"
    channel: str = ""
    #: Opened by a health worker's OTP to her own phone for a person with no phone
    #: (`start_attested`): the ABHA is made with no mobile, outside her phone's cap.
    attested: bool = False
    created_at: datetime | None = None
    expires_at: datetime | None = field(default=None)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["kyc"] = self.kyc.value
        for name in ("created_at", "expires_at"):
            value = getattr(self, name)
            data[name] = value.isoformat() if value is not None else None
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Draft:
        values = dict(data)
        values["kyc"] = Kyc(values["kyc"])
        for name in ("created_at", "expires_at"):
            raw = values.get(name)
            values[name] = datetime.fromisoformat(raw) if raw else None
        return cls(**values)

    def live_at(self, now: datetime) -> bool:
        return self.expires_at is not None and self.expires_at > now


def _key(kind: str, subject: str) -> str:
    return str(StateKey("draft", kind, subject))


class DraftStore:
    """Drafts by id, by OTP transaction, by chosen address and by Aadhaar, all TTL'd."""

    def __init__(self, state: StateStore, ttl_seconds: float) -> None:
        self._state = state
        # A little longer than the draft's own life, so `expires_at` decides, not the TTL.
        self._ttl = ttl_seconds + 60.0

    async def save(self, draft: Draft) -> None:
        """Store (or rewrite) the draft and its indexes, in one round trip (the indexes live as
        long as the draft, whose expiry every save extends)."""
        writes: list[tuple[str, object, float]] = [
            (_key("id", draft.id), draft.to_json(), self._ttl),
            (_key("txn", draft.txn_id), draft.id, self._ttl),
        ]
        if draft.address is not None:
            writes.append((_key("address", draft.address), draft.id, self._ttl))
        await self._state.set_many_json(writes)

    async def get(self, draft_id: str) -> Draft | None:
        if not draft_id:
            return None
        raw = await self._state.get_json(_key("id", draft_id))
        return Draft.from_json(raw) if isinstance(raw, dict) else None

    async def by_txn(self, txn_id: str) -> Draft | None:
        draft_id = await self._state.get_json(_key("txn", txn_id))
        return await self.get(draft_id) if isinstance(draft_id, str) else None

    async def delete(self, draft: Draft) -> None:
        await self._state.delete(_key("id", draft.id))
        if await self._state.get_json(_key("txn", draft.txn_id)) == draft.id:
            await self._state.delete(_key("txn", draft.txn_id))
        if draft.address is not None:
            address = _key("address", draft.address)
            if await self._state.get_json(address) == draft.id:
                await self._state.delete(address)

    async def holders(self, addresses: list[str], now: datetime, but: str) -> set[str]:
        """Which of `addresses` another live draft (not `but`) has chosen."""
        holders = await self._state.get_many_json([_key("address", a) for a in addresses])
        claims = {
            address: holder
            for address, holder in zip(addresses, holders, strict=True)
            if isinstance(holder, str) and holder != but
        }
        if not claims:
            return set()
        # Two round trips whatever the number of suggestions (one read per address was 11).
        drafts = await self._state.get_many_json([_key("id", h) for h in claims.values()])
        held: set[str] = set()
        for (address, _), raw in zip(claims.items(), drafts, strict=True):
            draft = Draft.from_json(raw) if isinstance(raw, dict) else None
            if draft is not None and draft.address == address and draft.live_at(now):
                held.add(address)
        return held

    async def link_aadhaar(self, draft: Draft) -> None:
        """Note the draft under its Aadhaar's keyed hash (for `same_aadhaar`); racing
        enrolments of one Aadhaar take turns at the list (a lock, not a lost update)."""
        if draft.aadhaar_hmac is None:
            return
        key = _key("aadhaar", draft.aadhaar_hmac)
        async with self._state.lock(key):
            current = await self._state.get_json(key)
            ids = [i for i in current if isinstance(i, str)] if isinstance(current, list) else []
            if draft.id not in ids:
                await self._state.set_json(key, [*ids, draft.id], self._ttl)

    async def same_aadhaar(self, draft: Draft, now: datetime) -> list[Draft]:
        """The other live drafts of this draft's Aadhaar."""
        if draft.aadhaar_hmac is None:
            return []
        ids = await self._state.get_json(_key("aadhaar", draft.aadhaar_hmac))
        found: list[Draft] = []
        for other_id in ids if isinstance(ids, list) else []:
            if not isinstance(other_id, str) or other_id == draft.id:
                continue
            other = await self.get(other_id)
            if other is not None and other.live_at(now):
                found.append(other)
        return found
