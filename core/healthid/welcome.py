"""What follows a new Health ID: the welcome SMS, and the chat it was created in tied to it.

Why in core, not in the conversation: these are rules of the registry, not of a dialogue. The
holder learns their new ABHA number by SMS on the mobile they proved, whichever channel they
enrolled on; and a chat (Telegram) in which that mobile was just proved by OTP acts for the new
ABHA from now on, as if the holder had logged in there (`ChannelService.link` checks the mobile
holds it). A flow makes one call once the ABHA exists (`HealthIdService.finish`).

    person = await services.healthid.finish(draft_id, channel="telegram")
    await services.welcome.greet(person, mobile="+919876543210", channel="telegram",
                                 address="4242", lang="hi")
"""

from __future__ import annotations

from core.channels.service import CHANNELS, ChannelService
from core.healthid.views import PersonView
from core.sms.outbox import SmsService

#: The SMS a new holder gets (its DLT template is registered under this key).
WELCOME_SMS = "sms.welcome"
#: The one a holder of an ABHA address alone gets (made with a mobile, no Aadhaar).
WELCOME_ADDRESS_SMS = "sms.welcome_address"


class Welcome:
    def __init__(self, sms: SmsService, channels: ChannelService) -> None:
        self._sms = sms
        self._channels = channels

    async def greet(
        self, person: PersonView, *, mobile: str, channel: str, address: str, lang: str
    ) -> None:
        """The welcome SMS to `mobile` (E.164, proved by OTP while enrolling); on a chat
        channel, the chat `address` also tied to `mobile` and the new ABHA."""
        if person.has_number:
            params = {"name": person.first_name, "abha_number": person.abha_number}
            await self._sms.send(mobile, WELCOME_SMS, params, lang)
        else:  # made with a mobile alone: an ABHA address, no number (ABDM's rule)
            params = {"name": person.first_name, "address": person.address}
            await self._sms.send(mobile, WELCOME_ADDRESS_SMS, params, lang)
        if channel in CHANNELS:  # the OTP verified in this chat ties it to the person
            await self._channels.link(
                channel, address, mobile=mobile, abha_number=person.abha_number
            )
