from tortoise import migrations
from tortoise.migrations import operations as ops
from core.records.models import LinkStatus
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('facilities', '0001_initial'), ('healthid', '0001_initial'), ('records', '0001_initial')]

    initial = False

    operations = [
        ops.CreateModel(
            name='LinkRequest',
            fields=[
                ('id', fields.CharField(primary_key=True, unique=True, db_index=True, max_length=36)),
                ('facility', fields.ForeignKeyField('facilities.Facility', source_field='facility_id', db_constraint=True, to_field='id', related_name='link_requests', on_delete=OnDelete.RESTRICT)),
                ('person', fields.ForeignKeyField('healthid.Person', source_field='person_id', null=True, db_constraint=True, to_field='id', related_name='link_requests', on_delete=OnDelete.RESTRICT)),
                ('code_salt', fields.CharField(max_length=32)),
                ('code_hash', fields.CharField(max_length=64)),
                ('attempts', fields.SmallIntField(default=0)),
                ('status', fields.CharEnumField(default=LinkStatus.PENDING, description='PENDING: pending\nAUTHORISED: authorised\nISSUED: issued\nFAILED: failed', enum_type=LinkStatus, max_length=12)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('expires_at', fields.DatetimeField(description='Until when the code (typed at the desk, or "YES <code>" by SMS) is good.', auto_now=False, auto_now_add=False)),
                ('token_hash', fields.CharField(null=True, unique=True, max_length=64)),
                ('token_expires_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'records_link_request', 'app': 'records', 'pk_attr': 'id', 'table_description': "A facility asking a person to let it add visits to their ABHA (ABDM's link token)."},
            bases=['Model'],
        ),
    ]
