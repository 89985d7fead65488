from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from core.sms.models import SmsStatus
from json import dumps, loads
from tortoise import fields

class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name='SmsOutbox',
            fields=[
                ('seq', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('id', fields.CharField(unique=True, max_length=36)),
                ('to', fields.CharField(db_index=True, max_length=16)),
                ('message_key', fields.CharField(max_length=64)),
                ('params', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('lang', fields.CharField(max_length=8)),
                ('sealed_text', fields.TextField(unique=False)),
                ('template_id', fields.CharField(max_length=32)),
                ('encoding', fields.CharField(max_length=8)),
                ('segments', fields.SmallIntField()),
                ('status', fields.CharEnumField(default=SmsStatus.PENDING, description='PENDING: PENDING\nSENT: SENT\nFAILED: FAILED', enum_type=SmsStatus, max_length=8)),
                ('attempts', fields.IntField(default=0)),
                ('next_attempt_at', fields.DatetimeField(db_index=True, description='When the worker may next try. Also the claim: a worker pushes it out by a lease.', auto_now=False, auto_now_add=False)),
                ('last_error', fields.CharField(null=True, description='Why the last attempt failed (a reason from the gateway, never the text).', max_length=200)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('sent_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'sms_outbox', 'app': 'sms', 'pk_attr': 'seq', 'table_description': 'One outbound SMS.'},
            bases=['Model'],
        ),
    ]
