"""A shared contact: taken as the phone number only when it is the sender's own.

Telegram's "share my phone number" button sends the sender's own contact, with their user id;
a contact forwarded from the address book carries someone else's id (or none). The number
still goes through an OTP over SMS, as ABDM requires; this check only stops a person from
starting that OTP for a stranger's phone with one tap.
"""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.types import Message, Update

from bot.front import TelegramFront
from bot.routers.filters import has_contact, private
from flows.types import Input


def contact_router() -> Router:
    router = Router(name="contact")
    router.message.register(shared, private, has_contact)
    return router


def e164_digits(phone: str) -> str:
    """Telegram writes numbers in international form, often without the `+`."""
    digits = phone.strip()
    return f"+{digits}" if digits.isdigit() and len(digits) > 10 else digits


async def shared(message: Message, bot: Bot, front: TelegramFront, event_update: Update) -> None:
    contact, sender = message.contact, message.from_user
    assert contact is not None  # the filter
    if sender is None or contact.user_id != sender.id:
        key = "telegram.contact.not_yours"
        await front.notice(bot, message.chat.id, sender, event_update.update_id, key)
        return
    answer = Input(contact=e164_digits(contact.phone_number))
    await front.converse(bot, message.chat.id, sender, event_update.update_id, answer)
