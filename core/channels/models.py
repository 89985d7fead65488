"""What the channels registry stores: one row per chat we talk to.

Why one table and no link table: a chat proves a mobile, and the ABHAs it may act for are the
ABHAs that mobile held when the OTP was verified (`proved`) AND still holds *now*. Reading the
holder from the Health ID registry at the time of use means an ABHA whose mobile is changed
stops reaching the old chat without anyone cleaning up, and keeping the list proved means an
ABHA made later on the same mobile (or moved to it) needs an OTP in the chat first.

No `;` in model docstrings or `#:` comments: they become SQL comments (see core.healthid.models).
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class Endpoint(Model):
    """A chat on a channel, its language, and the mobile it proved by OTP (if any)."""

    id = fields.IntField(primary_key=True)
    channel = fields.CharField(max_length=16)
    #: The chat id on the channel.
    address = fields.CharField(max_length=32)
    lang = fields.CharField(max_length=8, default="en")
    #: E.164, set only after an OTP to it was verified in this chat.
    mobile = fields.CharField(max_length=16, null=True, db_index=True)
    #: The ABHA number (14 digits) the chat acts for now, one of those the mobile holds.
    abha_number = fields.CharField(max_length=14, null=True)
    verified_at = fields.DatetimeField(null=True)
    #: The ABHAs the chat's OTP proved (held by its mobile then), null if not kept.
    proved: fields.Field[list[str]] = fields.JSONField(null=True)
    #: When the link last acted (null before it was kept: verified_at counts), for its expiry.
    used_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()

    class Meta:
        table = "channels_endpoint"
        unique_together = (("channel", "address"),)

    def __str__(self) -> str:
        return f"Endpoint({self.channel}:{self.address})"
