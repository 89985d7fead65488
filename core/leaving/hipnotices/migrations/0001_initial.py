import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops

from core.consent.models import CallbackStatus


class Migration(migrations.Migration):
    dependencies = [('facilities', '0001_initial'), ('healthid', '0001_initial')]

    initial = True

    operations = [
        ops.CreateModel(
            name='HipNotice',
            fields=[
                ('seq', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('id', fields.CharField(unique=True, description='The event id the HIP sees, the same on every retry, so it applies the notice once.', max_length=36)),
                ('hip', fields.ForeignKeyField('facilities.Facility', source_field='hip_id', db_constraint=True, to_field='id', related_name='hip_notices', on_delete=OnDelete.RESTRICT)),
                ('person', fields.ForeignKeyField('healthid.Person', source_field='person_id', db_constraint=True, to_field='id', related_name='hip_notices', on_delete=OnDelete.RESTRICT)),
                ('event', fields.CharField(description='What is announced: `abha.deleted`.', max_length=32)),
                ('payload', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('dedupe_key', fields.CharField(unique=True, description='Person, HIP and event: one deletion is announced to a HIP once.', max_length=96)),
                ('status', fields.CharEnumField(default=CallbackStatus.PENDING, description='PENDING: PENDING\nSENT: SENT\nFAILED: FAILED', enum_type=CallbackStatus, max_length=8)),
                ('attempts', fields.IntField(default=0)),
                ('next_attempt_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
                ('claimed_until', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('last_error', fields.CharField(null=True, max_length=200)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('sent_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'leaving_hip_notice', 'app': 'hipnotices', 'pk_attr': 'seq'},
            bases=['Model'],
        ),
    ]
