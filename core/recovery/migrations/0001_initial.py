from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields
from core.recovery.models import RecoveryKind

class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name='Recovery',
            fields=[
                ('id', fields.CharField(primary_key=True, unique=True, db_index=True, max_length=36)),
                ('kind', fields.CharEnumField(description='PIN_RESET: pin_reset\nMOBILE_CHANGE: mobile_change', enum_type=RecoveryKind, max_length=16)),
                ('abha_number', fields.CharField(db_index=True, description='The ABHA number (14 digits) being recovered.', max_length=14)),
                ('via', fields.CharField(description='How the holder is proved: otp (the ABHA\'s own mobile), aadhaar or abdm.', max_length=8)),
                ('holder_txn', fields.CharField(null=True, db_index=True, description='The OTP transaction that proves the holder (the ABHA\'s mobile, or Aadhaar).', max_length=64)),
                ('holder_proved_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('new_mobile', fields.CharField(null=True, description='E.164 of the new mobile (mobile change only).', max_length=16)),
                ('new_txn', fields.CharField(null=True, db_index=True, description='The OTP transaction sent to the new mobile.', max_length=64)),
                ('sealed_token', fields.TextField(null=True, description="ABDM's user token for this change, sealed (the abdm adapter only).", unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('done_at', fields.DatetimeField(null=True, description='Set once, by the one call that used this recovery.', auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'recovery_recovery', 'app': 'recovery', 'pk_attr': 'id', 'table_description': 'A forgotten PIN or a mobile change in progress, with what the holder proved so far.'},
            bases=['Model'],
        ),
    ]
