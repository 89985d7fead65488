from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from core.otp.models import OtpStatus
from json import dumps, loads
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name='OtpMobileLock',
            fields=[
                ('mobile', fields.CharField(primary_key=True, unique=True, db_index=True, max_length=16)),
                ('locked_until', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('txn_id', fields.CharField(description='The transaction whose failures caused the lock, for support questions.', max_length=36)),
            ],
            options={'table': 'otp_mobile_lock', 'app': 'otp', 'pk_attr': 'mobile', 'table_description': 'A mobile that may not receive or verify OTPs until `locked_until`.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='OtpSend',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('mobile', fields.CharField(max_length=16)),
                ('txn_id', fields.CharField(max_length=36)),
                ('at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'otp_send', 'app': 'otp', 'indexes': [Index(fields=['mobile', 'at'])], 'pk_attr': 'id', 'table_description': 'One OTP SMS sent to a mobile, counted by the hourly per-mobile limit.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='OtpTransaction',
            fields=[
                ('id', fields.CharField(primary_key=True, unique=True, db_index=True, max_length=36)),
                ('purpose', fields.CharField(max_length=32)),
                ('mobile', fields.CharField(db_index=True, max_length=16)),
                ('message_key', fields.CharField(max_length=64)),
                ('code_salt', fields.CharField(max_length=32)),
                ('code_hash', fields.CharField(max_length=64)),
                ('payload', fields.JSONField(default=dict, description='Small opaque data the caller attached at start (never the code).', encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('last_sent_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('sends', fields.SmallIntField(default=1)),
                ('attempts', fields.SmallIntField(default=0)),
                ('status', fields.CharEnumField(default=OtpStatus.ACTIVE, description='ACTIVE: ACTIVE\nUSED: USED\nFAILED: FAILED', enum_type=OtpStatus, max_length=8)),
                ('verified_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('locked_until', fields.DatetimeField(null=True, description='Set with FAILED in the same update, so a racing call reads the lockout at once.', auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'otp_transaction', 'app': 'otp', 'pk_attr': 'id', 'table_description': 'One OTP transaction. Only a keyed hash of the current code is kept (see core.otp.codes).'},
            bases=['Model'],
        ),
    ]
