from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from core.healthid.models import Gender, Kyc, PersonStatus
from json import dumps, loads
from tortoise import fields

class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name='EnrolmentDraft',
            fields=[
                ('id', fields.CharField(primary_key=True, unique=True, db_index=True, max_length=32)),
                ('txn_id', fields.CharField(unique=True, max_length=64)),
                ('kyc', fields.CharEnumField(description='VERIFIED: verified\nSELF_DECLARED: self_declared', enum_type=Kyc, max_length=16)),
                ('mobile', fields.CharField(max_length=16)),
                ('mobile_verified', fields.BooleanField(default=False)),
                ('aadhaar_hmac', fields.CharField(null=True, db_index=True, max_length=64)),
                ('aadhaar_last4', fields.CharField(null=True, max_length=4)),
                ('demographics', fields.JSONField(null=True, description='The demographics (eKYC or self-declared) as `Demographics.to_json()`, null until known.', encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('address', fields.CharField(null=True, max_length=40)),
                ('pin_hash', fields.CharField(null=True, max_length=200)),
                ('language', fields.CharField(default='en', max_length=8)),
                ('channel', fields.CharField(max_length=16)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('expires_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'healthid_enrolment_draft', 'app': 'healthid', 'pk_attr': 'id', 'table_description': 'An enrolment between its first OTP and `finish`, deleted when it becomes a Person.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Person',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('abha_number', fields.CharField(unique=True, max_length=14)),
                ('address', fields.CharField(unique=True, max_length=40)),
                ('aadhaar_hmac', fields.CharField(null=True, unique=True, max_length=64)),
                ('aadhaar_last4', fields.CharField(null=True, max_length=4)),
                ('first_name', fields.CharField(default='', max_length=100)),
                ('middle_name', fields.CharField(null=True, max_length=100)),
                ('last_name', fields.CharField(null=True, max_length=100)),
                ('gender', fields.CharEnumField(null=True, description='MALE: M\nFEMALE: F\nOTHER: O', enum_type=Gender, max_length=1)),
                ('year_of_birth', fields.SmallIntField(null=True)),
                ('month_of_birth', fields.SmallIntField(null=True)),
                ('day_of_birth', fields.SmallIntField(null=True)),
                ('email', fields.CharField(null=True, max_length=254)),
                ('address_line', fields.CharField(null=True, max_length=255)),
                ('state_lgd', fields.IntField(null=True)),
                ('district_lgd', fields.IntField(null=True)),
                ('pin_code', fields.CharField(null=True, max_length=6)),
                ('mobile', fields.CharField(null=True, db_index=True, max_length=16)),
                ('kyc', fields.CharEnumField(description='VERIFIED: verified\nSELF_DECLARED: self_declared', enum_type=Kyc, max_length=16)),
                ('language', fields.CharField(default='en', max_length=8)),
                ('pin_hash', fields.CharField(null=True, max_length=200)),
                ('pin_failures', fields.SmallIntField(default=0)),
                ('pin_locked_until', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('status', fields.CharEnumField(default=PersonStatus.ACTIVE, description='ACTIVE: active\nDEACTIVATED: deactivated\nDELETED: deleted', enum_type=PersonStatus, max_length=16)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('deleted_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'healthid_person', 'app': 'healthid', 'pk_attr': 'id'},
            bases=['Model'],
        ),
    ]
