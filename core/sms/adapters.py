"""The outbound SMS adapters chosen by `AROGYA_SMS_GATEWAY`, built from settings.

Why a table: India's aggregators differ (Twilio, Africa's Talking, a DLT-registered local
aggregator behind the generic `http` adapter), and each adapter is small and speaks only its
provider's API; the port (`core.sms.gateways.SmsGateway`) and the outbox's retries are shared.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from core.settings import Settings
from core.sms.africastalking import AfricasTalkingGateway
from core.sms.twilio import TwilioGateway


class ClosableGateway(Protocol):
    async def deliver(self, message_id: str, to: str, text: str, template_id: str) -> None: ...

    async def close(self) -> None: ...


def twilio(settings: Settings) -> TwilioGateway:
    token = settings.twilio_auth_token
    if not settings.twilio_account_sid or token is None or not settings.twilio_sender:
        raise ValueError(
            "AROGYA_SMS_GATEWAY=twilio needs AROGYA_TWILIO_ACCOUNT_SID, AROGYA_TWILIO_AUTH_TOKEN "
            "and AROGYA_TWILIO_SENDER"
        )
    base = settings.public_url.rstrip("/") if settings.public_url else None
    return TwilioGateway(
        account_sid=settings.twilio_account_sid,
        auth_token=token.get_secret_value(),
        sender=settings.twilio_sender,
        api_base=settings.twilio_api_base,
        status_callback=f"{base}/sms/twilio/status" if base else None,
    )


def africastalking(settings: Settings) -> AfricasTalkingGateway:
    key = settings.africastalking_api_key
    if not settings.africastalking_username or key is None:
        raise ValueError(
            "AROGYA_SMS_GATEWAY=africastalking needs AROGYA_AFRICASTALKING_USERNAME and "
            "AROGYA_AFRICASTALKING_API_KEY"
        )
    return AfricasTalkingGateway(
        username=settings.africastalking_username,
        api_key=key.get_secret_value(),
        sender=settings.africastalking_sender,
        api_base=settings.africastalking_api_base,
    )


OUTBOUND_ADAPTERS: dict[str, Callable[[Settings], ClosableGateway]] = {
    "twilio": twilio,
    "africastalking": africastalking,
}
