from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name='AadhaarLink',
            fields=[
                ('txn_id', fields.CharField(primary_key=True, unique=True, db_index=True, max_length=64)),
                ('purpose', fields.CharField(default='link', max_length=8)),
                ('abha_number', fields.CharField(max_length=14)),
                ('aadhaar_hmac', fields.CharField(max_length=64)),
                ('aadhaar_last4', fields.CharField(max_length=4)),
                ('expires_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'identity_aadhaar_link', 'app': 'identity', 'pk_attr': 'txn_id', 'table_description': 'An Aadhaar OTP sent to link an ABHA address or to find an ABHA, deleted once answered.'},
            bases=['Model'],
        ),
    ]
