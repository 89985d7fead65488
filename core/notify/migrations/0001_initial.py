from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from core.notify.models import Channel, NotificationStatus
from json import dumps, loads
from tortoise import fields

class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name='Notification',
            fields=[
                ('seq', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('id', fields.CharField(unique=True, max_length=36)),
                ('channel', fields.CharEnumField(description='TELEGRAM: telegram\nSMS: sms', enum_type=Channel, max_length=16)),
                ('address', fields.CharField(db_index=True, description='A Telegram chat id, or an E.164 mobile number.', max_length=32)),
                ('message_key', fields.CharField(max_length=64)),
                ('params', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('lang', fields.CharField(max_length=8)),
                ('attachment', fields.CharField(null=True, description='What to attach, resolved by the deliverer (e.g. `card:<abha number>`).', max_length=128)),
                ('buttons', fields.JSONField(null=True, description='Rows of buttons (see `core.notify.buttons`), ignored by channels without buttons.', encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('status', fields.CharEnumField(default=NotificationStatus.PENDING, description='PENDING: PENDING\nSENT: SENT\nFAILED: FAILED', enum_type=NotificationStatus, max_length=8)),
                ('attempts', fields.IntField(default=0)),
                ('next_attempt_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
                ('claimed_until', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('last_error', fields.CharField(null=True, description='Why the last attempt failed, for support (never the rendered text).', max_length=200)),
                ('dedupe_key', fields.CharField(null=True, unique=True, description='The same notice is queued once: a second `notify` with this key returns the first id.', max_length=128)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('sent_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'notify_notification', 'app': 'notify', 'pk_attr': 'seq', 'table_description': 'One notice.'},
            bases=['Model'],
        ),
    ]
