from tortoise import migrations
from tortoise.migrations import operations as ops
from core.workers.models import AssistedState, ConsentKind, WorkerRole, WorkerStatus
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name='Worker',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('worker_id', fields.CharField(unique=True, description='W + 9 random digits, what an officer and the worker quote.', max_length=10)),
                ('name', fields.CharField(max_length=100)),
                ('role', fields.CharEnumField(description='ASHA: ASHA\nANM: ANM\nCHO: CHO', enum_type=WorkerRole, max_length=4)),
                ('mobile', fields.CharField(unique=True, description='E.164, proved by an OTP. One registration per mobile.', max_length=16)),
                ('mobile_txn_id', fields.CharField(unique=True, max_length=36)),
                ('facility_id', fields.CharField(null=True, db_index=True, description='The HFR id of the facility she serves, if she named one.', max_length=12)),
                ('district_lgd', fields.IntField(db_index=True, description="The LGD district she serves (the facility's district when she named a facility).")),
                ('language', fields.CharField(default='en', max_length=8)),
                ('status', fields.CharEnumField(default=WorkerStatus.PENDING, db_index=True, description='PENDING: PENDING\nVERIFIED: VERIFIED\nREJECTED: REJECTED\nWITHDRAWN: WITHDRAWN', enum_type=WorkerStatus, max_length=9)),
                ('reason', fields.CharField(null=True, max_length=500)),
                ('decided_by', fields.CharField(null=True, max_length=64)),
                ('decided_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('registered_channel', fields.CharField(max_length=16)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'workers_worker', 'app': 'workers', 'pk_attr': 'id', 'table_description': 'A health worker and the place she serves.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='AssistedEnrolment',
            fields=[
                ('id', fields.CharField(primary_key=True, unique=True, db_index=True, max_length=32)),
                ('worker', fields.ForeignKeyField('workers.Worker', source_field='worker_id', db_constraint=True, to_field='id', related_name='enrolments', on_delete=OnDelete.RESTRICT)),
                ('consent', fields.CharEnumField(description='AADHAAR: aadhaar\nMOBILE: mobile\nATTESTED: attested', enum_type=ConsentKind, max_length=8)),
                ('state', fields.CharEnumField(default=AssistedState.STARTED, description='STARTED: started\nWAITING_OTP: waiting_otp\nFINISHED: finished\nFOUND: found\nFAILED: failed', enum_type=AssistedState, max_length=11)),
                ('reason', fields.CharField(null=True, description='The refusal code of a failed enrolment (otp.locked, mobile.cap_reached, ...).', max_length=64)),
                ('beneficiary_mobile', fields.CharField(null=True, description="The beneficiary's mobile (E.164), null for a person with no phone.", max_length=16)),
                ('txn_id', fields.CharField(null=True, description="The OTP transaction waiting for the beneficiary's code, kept to come back to it.", max_length=36)),
                ('abha_number', fields.CharField(null=True, db_index=True, description="The ABHA made or found: registered_by is this row's worker.", max_length=14)),
                ('attested_at', fields.DatetimeField(null=True, description='When the worker attested the spoken consent (the attested path only).', auto_now=False, auto_now_add=False)),
                ('started_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'workers_assisted_enrolment', 'app': 'workers', 'pk_attr': 'id', 'table_description': 'One enrolment a worker made or began on behalf of a beneficiary.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='WorkerOfficer',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('username', fields.CharField(unique=True, max_length=32)),
                ('facility_id', fields.CharField(null=True, max_length=12)),
                ('district_lgd', fields.IntField(null=True)),
                ('password_hash', fields.CharField(max_length=200)),
                ('active', fields.BooleanField(default=True)),
                ('failed_attempts', fields.SmallIntField(default=0)),
                ('locked_until', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('last_sign_in_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'workers_officer', 'app': 'workers', 'pk_attr': 'id', 'table_description': 'An officer of one facility or one district who verifies its workers at the console.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='WorkerOfficerSession',
            fields=[
                ('token_hash', fields.CharField(primary_key=True, unique=True, db_index=True, max_length=64)),
                ('officer', fields.ForeignKeyField('workers.WorkerOfficer', source_field='officer_id', db_constraint=True, to_field='id', related_name='sessions', on_delete=OnDelete.CASCADE)),
                ('csrf_token', fields.CharField(max_length=48)),
                ('language', fields.CharField(default='en', max_length=8)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('last_seen_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('expires_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'workers_officer_session', 'app': 'workers', 'pk_attr': 'token_hash', 'table_description': 'A console session: only the SHA-256 of the cookie token is kept.'},
            bases=['Model'],
        ),
    ]
