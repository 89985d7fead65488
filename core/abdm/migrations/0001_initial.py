from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name='AbdmEnrolment',
            fields=[
                ('draft_id', fields.CharField(primary_key=True, unique=True, db_index=True, max_length=32)),
                ('txn_id', fields.CharField(unique=True, max_length=64)),
                ('abha_number', fields.CharField(null=True, max_length=14)),
                ('address', fields.CharField(null=True, max_length=40)),
                ('pending', fields.CharField(null=True, max_length=16)),
                ('mobile_pending', fields.BooleanField(default=False)),
                ('expires_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'abdm_enrolment', 'app': 'abdm', 'pk_attr': 'draft_id', 'table_description': "ABDM's side of one enrolment draft, deleted with it when the ABHA is finished."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='AbdmLogin',
            fields=[
                ('txn_id', fields.CharField(primary_key=True, unique=True, db_index=True, max_length=64)),
                ('via', fields.CharField(max_length=16)),
                ('mobile', fields.CharField(max_length=16)),
                ('abha_number', fields.CharField(null=True, max_length=14)),
                ('expires_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'abdm_login', 'app': 'abdm', 'pk_attr': 'txn_id', 'table_description': 'A login OTP ABDM sent: how the person named their ABHA, and the mobile it stands for.'},
            bases=['Model'],
        ),
    ]
