"""A message id is the sender's: the same id from another phone is a new message, and its
answer is never the first sender's reply (which may hold their name or their ABHA)."""

from __future__ import annotations

from tests.webhooks.phones import Client, RecordingSms
from tests.webhooks.sms.test_sms import MENU_EN, PHONE, post_json, signed_post, twilio_form

OTHER = "+919811100000"


async def test_the_same_json_id_from_another_sender_is_their_own_message(
    client: Client, outbox: RecordingSms
) -> None:
    first = await (await post_json(client, {"id": "m1", "from": PHONE, "text": "Hi"})).json()
    await post_json(client, {"id": "m2", "from": PHONE, "text": "1"})  # now asked their name
    mine = await (await post_json(client, {"id": "m2", "from": PHONE, "text": "1"})).json()
    assert mine["duplicate"] is True
    theirs = await (await post_json(client, {"id": "m2", "from": OTHER, "text": "Hi"})).json()
    assert theirs["duplicate"] is False
    assert theirs["reply"] == first["reply"] == MENU_EN  # their own menu, not "Your name?"
    assert outbox.texts_to(OTHER) == [MENU_EN]


async def test_the_same_twilio_sid_from_another_sender_is_their_own_message(
    client: Client, outbox: RecordingSms
) -> None:
    await signed_post(client, twilio_form("Hi", sid="SM1"))
    await signed_post(client, twilio_form("Hi", sid="SM1", sender=OTHER))
    assert outbox.texts_to(PHONE) == [MENU_EN]
    assert outbox.texts_to(OTHER) == [MENU_EN]
