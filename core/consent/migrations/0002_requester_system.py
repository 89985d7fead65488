import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("consent", "0001_initial")]

    operations = [
        ops.AddField(
            model_name="ConsentRequest",
            name="requester_system",
            field=fields.CharField(
                null=True,
                max_length=100,
                description="The requester's identifier.system as the HIU sent it, echoed "
                "unchanged in artefacts.",
            ),
        ),
        ops.AddField(
            model_name="ConsentRequest",
            name="reach",
            field=fields.JSONField(
                null=True,
                description="ABDM's optional hip and careContexts: the request reaches only "
                "that HIP, those visits.",
                encoder=functools.partial(dumps, separators=(",", ":")),
                decoder=loads,
            ),
        ),
    ]
