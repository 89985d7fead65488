"""A chat link acts only for the ABHAs its OTP proved, and lapses after disuse (issue 15).

Rows linked before this migration get `proved` null: they act only for the ABHA they act for
now (core.channels.service, fail closed); other ABHAs of the mobile need an OTP in the chat.
Their `used_at` is null too: their `verified_at` counts as their last use.
"""

import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("channels", "0001_initial")]

    operations = [
        ops.AddField(
            model_name="Endpoint",
            name="proved",
            field=fields.JSONField(
                null=True,
                description="The ABHAs the chat's OTP proved (held by its mobile then), "
                "null if not kept.",
                encoder=functools.partial(dumps, separators=(",", ":")),
                decoder=loads,
            ),
        ),
        ops.AddField(
            model_name="Endpoint",
            name="used_at",
            field=fields.DatetimeField(
                null=True,
                auto_now=False,
                auto_now_add=False,
                description="When the link last acted (null before it was kept: verified_at "
                "counts), for its expiry.",
            ),
        ),
    ]
