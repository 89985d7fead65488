from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name="FetchWindow",
            fields=[
                ("id", fields.CharField(primary_key=True, unique=True, db_index=True, max_length=64)),
                ("artefact_id", fields.CharField(db_index=True, max_length=36)),
                ("count", fields.IntField(default=0)),
                (
                    "ends_at",
                    fields.DatetimeField(
                        description="When this window ends and the count starts over.",
                        auto_now=False,
                        auto_now_add=False,
                    ),
                ),
            ],
            options={
                "table": "consent_fetch_window",
                "app": "consentuse",
                "pk_attr": "id",
                "table_description": "Fetches under one consent artefact in one window of its frequency.",
            },
            bases=["Model"],
        ),
    ]
