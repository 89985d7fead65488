from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise import fields

class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name='AuditEvent',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True, description='Insertion order: events at one instant (a frozen test clock) still read back in order.')),
                ('at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
                ('action', fields.CharField(db_index=True, max_length=48)),
                ('actor', fields.CharField(description='An ABHA number, "system" or a partner id.', max_length=64)),
                ('subject', fields.CharField(db_index=True, description='Whose record it is: usually an ABHA number.', max_length=64)),
                ('channel', fields.CharField(max_length=16)),
                ('detail', fields.JSONField(default=dict, description='Context without secrets: never an Aadhaar number, an OTP or a PIN.', encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
            ],
            options={'table': 'audit_event', 'app': 'audit', 'pk_attr': 'id'},
            bases=['Model'],
        ),
    ]
