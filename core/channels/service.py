"""`ChannelService`: a chat's language, the mobile it proved, and the ABHA it acts for.

Why these rules:

- A chat is tied to a person only by an OTP verified *in that chat* (the flows call `link`
  right after core accepted the OTP). The caller names the mobile; core checks that the ABHA it
  links is really held by that mobile, so a bug in a channel cannot hand a chat someone else's
  Health ID.
- One verified mobile per chat: proving another mobile replaces the first. The ABHAs a chat may
  switch between are those its OTP proved (held by the mobile when it was verified) that the
  mobile still holds now (`linked`), read at the time of use. An ABHA made on the same mobile
  later, or moved to it, needs an OTP in the chat first: a phone passed on, or a shared family
  phone, must not bring a later ABHA into an old chat.
- A link lapses after `idle` without use (`AROGYA_CHANNEL_LINK_IDLE_DAYS`): a lost or sold
  phone's Telegram stops acting for anyone. A lapsed chat is treated as unverified everywhere.
- `reach(abha)` is how the records and consent notices find a person's chats: every live chat
  that proved that ABHA and whose mobile still holds it, with the language the chat chose.

Every link, switch and unlink is audited (subject: the ABHA), never with the chat id itself.

    await channels.remember_language("telegram", "4242", "hi")
    await channels.link("telegram", "4242", mobile="+919876543210", abha_number="91-2345-...")
    await channels.reach("91-2345-6789-0123")  # [Reach("telegram", "4242", "hi")]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.exceptions import IntegrityError

from core.audit.service import AuditLog
from core.channels.models import Endpoint
from core.clock import Clock
from core.errors import Forbidden
from core.healthid import mobile as mobiles
from core.healthid import numbers
from core.healthid.models import Person, PersonStatus
from locales import LANGUAGES, normalise_language

#: Channels whose address is not a phone number (USSD and SMS need no registry).
CHANNELS = frozenset({"telegram"})
ADDRESS = re.compile(r"^-?[1-9][0-9]{0,15}$")
#: A link that acted at most this long ago is not written again: a use costs no write.
TOUCH_EVERY = timedelta(hours=1)
DEFAULT_IDLE = timedelta(days=90)


@dataclass(frozen=True, slots=True)
class EndpointView:
    channel: str
    address: str
    lang: str
    #: E.164; the chat proved it by OTP (None: not yet).
    mobile: str | None
    #: `XX-XXXX-XXXX-XXXX`, the ABHA the chat acts for now.
    abha_number: str | None


@dataclass(frozen=True, slots=True)
class Reach:
    """Where a notice for an ABHA can go, and in which language."""

    channel: str
    address: str
    lang: str


def _view(endpoint: Endpoint, live: bool = True) -> EndpointView:
    """A lapsed link shows as a chat that proved nothing."""
    return EndpointView(
        channel=endpoint.channel,
        address=endpoint.address,
        lang=endpoint.lang,
        mobile=endpoint.mobile if live else None,
        abha_number=(
            numbers.format(endpoint.abha_number) if live and endpoint.abha_number else None
        ),
    )


def _proved(endpoint: Endpoint) -> set[str]:
    """The compact ABHA numbers the chat proved; a row linked before the list was kept proved
    only the ABHA it acts for (fail closed)."""
    if endpoint.proved is not None:
        return set(endpoint.proved)
    return {endpoint.abha_number} if endpoint.abha_number else set()


def _check(channel: str, address: str) -> None:
    """A wrong channel or address is a caller's bug: refuse it before anything is written."""
    if channel not in CHANNELS:
        raise ValueError(f"the channels registry keeps no {channel!r} addresses")
    if not ADDRESS.match(address):
        raise ValueError(f"{address!r} is not a {channel} chat id")


class ChannelService:
    def __init__(self, clock: Clock, audit: AuditLog, *, idle: timedelta = DEFAULT_IDLE) -> None:
        self._clock = clock
        self._audit = audit
        self._idle = idle

    def _live(self, endpoint: Endpoint | None, now: datetime) -> bool:
        """Verified, and used within `idle`."""
        if endpoint is None or endpoint.mobile is None:
            return False
        last = endpoint.used_at or endpoint.verified_at
        return last is not None and now - last < self._idle

    async def _touch(self, endpoint: Endpoint, now: datetime) -> None:
        """Note a use (at most once per TOUCH_EVERY), which keeps the link from lapsing."""
        last = endpoint.used_at or endpoint.verified_at
        if last is None or now - last >= TOUCH_EVERY:
            endpoint.used_at = now
            await Endpoint.filter(id=endpoint.id).update(used_at=now)

    # --- language ------------------------------------------------------------------------

    async def language(self, channel: str, address: str) -> str | None:
        """The language this chat chose, or None for a chat we have never met."""
        _check(channel, address)
        endpoint = await Endpoint.get_or_none(channel=channel, address=address)
        return endpoint.lang if endpoint else None

    async def remember_language(self, channel: str, address: str, lang: str) -> None:
        if lang not in LANGUAGES:
            raise ValueError(f"unknown language {lang!r}")
        endpoint = await self._endpoint(channel, address, lang)
        if endpoint.lang != lang:
            endpoint.lang = lang
            endpoint.updated_at = self._clock.now()
            await endpoint.save(update_fields=["lang", "updated_at"])

    # --- the verified mobile and the ABHA acted for ---------------------------------------

    async def link(
        self,
        channel: str,
        address: str,
        *,
        mobile: str,
        abha_number: str | None = None,
        lang: str | None = None,
    ) -> EndpointView:
        """The chat has just proved `mobile` by OTP; it acts for `abha_number` (held by it).

        Without `abha_number` the chat is verified but acts for nobody yet (several ABHAs on the
        phone: the person chooses next, then `switch`).
        """
        e164 = mobiles.parse(mobile)
        person = await self._held(abha_number, e164) if abha_number else None
        if abha_number and person is None:
            raise Forbidden("channels.not_holder")
        endpoint = await self._endpoint(channel, address, normalise_language(lang))
        now = self._clock.now()
        # What the OTP just proved: the ABHAs this mobile holds at this moment.
        held = await Person.filter(mobile=e164, status=PersonStatus.ACTIVE).values_list(
            "abha_number", flat=True
        )
        endpoint.update_from_dict(
            {
                "mobile": e164,
                "abha_number": person.abha_number if person else None,
                "verified_at": now,
                "proved": sorted(str(number) for number in held),
                "used_at": now,
                "updated_at": now,
            }
        )
        await endpoint.save()
        if person is not None:
            await self._record("channel.linked", person.abha_number, channel, e164)
        return _view(endpoint)

    async def switch(self, channel: str, address: str, abha_number: str) -> EndpointView:
        """Act for another ABHA of the chat's verified mobile (`channels.not_linked` if it is
        not one of them, or the chat has proved no mobile)."""
        _check(channel, address)
        now = self._clock.now()
        endpoint = await Endpoint.get_or_none(channel=channel, address=address)
        live = endpoint is not None and self._live(endpoint, now)
        mobile = endpoint.mobile if endpoint is not None and live else None
        person = await self._held(abha_number, mobile) if mobile else None
        if endpoint is None or mobile is None or person is None:
            raise Forbidden("channels.not_linked")
        if person.abha_number not in _proved(endpoint):
            raise Forbidden("channels.not_linked")
        await self._touch(endpoint, now)
        if endpoint.abha_number != person.abha_number:
            endpoint.abha_number = person.abha_number
            endpoint.updated_at = now
            await endpoint.save(update_fields=["abha_number", "updated_at"])
            await self._record("channel.linked", person.abha_number, channel, mobile)
        return _view(endpoint)

    async def linked(self, channel: str, address: str) -> list[str]:
        """The active ABHAs (`XX-XXXX-XXXX-XXXX`) the chat may act for, oldest first: those its
        OTP proved that its mobile still holds; none once the link has lapsed. A use."""
        _check(channel, address)
        now = self._clock.now()
        endpoint = await Endpoint.get_or_none(channel=channel, address=address)
        if endpoint is None or not self._live(endpoint, now):
            return []
        proved = _proved(endpoint)
        people = await Person.filter(mobile=endpoint.mobile, status=PersonStatus.ACTIVE).order_by(
            "created_at", "id"
        )
        held = [numbers.format(p.abha_number) for p in people if p.abha_number in proved]
        if held:
            await self._touch(endpoint, now)
        return held

    async def endpoint(self, channel: str, address: str) -> EndpointView | None:
        """The chat; a lapsed link shows no mobile and no ABHA."""
        _check(channel, address)
        endpoint = await Endpoint.get_or_none(channel=channel, address=address)
        if endpoint is None:
            return None
        return _view(endpoint, self._live(endpoint, self._clock.now()))

    async def unlink(self, channel: str, address: str) -> None:
        """Forget the chat's mobile and ABHA (logging out); its language stays."""
        _check(channel, address)
        endpoint = await Endpoint.get_or_none(channel=channel, address=address)
        if endpoint is None or endpoint.mobile is None:
            return
        previous, mobile = endpoint.abha_number, endpoint.mobile
        now = self._clock.now()
        endpoint.update_from_dict(
            {
                "mobile": None,
                "abha_number": None,
                "verified_at": None,
                "proved": None,
                "used_at": None,
                "updated_at": now,
            }
        )
        await endpoint.save()
        if previous is not None:
            await self._record("channel.unlinked", previous, channel, mobile)

    async def reach(self, abha_number: str) -> list[Reach]:
        """Every live chat that proved this active ABHA and whose mobile holds it now, oldest
        first."""
        person = await Person.get_or_none(abha_number=numbers.parse(abha_number))
        if person is None or person.status is not PersonStatus.ACTIVE or person.mobile is None:
            return []
        now = self._clock.now()
        endpoints = await Endpoint.filter(mobile=person.mobile).order_by("created_at", "id")
        return [
            Reach(e.channel, e.address, e.lang)
            for e in endpoints
            if self._live(e, now) and person.abha_number in _proved(e)
        ]

    # --- helpers -------------------------------------------------------------------------

    async def _endpoint(self, channel: str, address: str, lang: str) -> Endpoint:
        """The chat's row, created on first contact (two first contacts at once: one row)."""
        _check(channel, address)
        endpoint = await Endpoint.get_or_none(channel=channel, address=address)
        if endpoint is not None:
            return endpoint
        now = self._clock.now()
        try:
            return await Endpoint.create(
                channel=channel, address=address, lang=lang, created_at=now, updated_at=now
            )
        except IntegrityError:
            return await Endpoint.get(channel=channel, address=address)

    @staticmethod
    async def _held(abha_number: str, mobile: str) -> Person | None:
        """The active person with this ABHA number, if `mobile` holds it."""
        return await Person.get_or_none(
            abha_number=numbers.parse(abha_number), mobile=mobile, status=PersonStatus.ACTIVE
        )

    async def _record(self, action: str, abha_number: str, channel: str, mobile: str) -> None:
        await self._audit.record(
            action,
            actor=abha_number,
            subject=abha_number,
            channel=channel,
            detail={"mobile": mobiles.mask(mobile)},
        )
