from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from core.professionals.models import ProfessionalStatus
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name='CouncilOfficer',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('username', fields.CharField(unique=True, max_length=32)),
                ('council', fields.CharField(db_index=True, max_length=4)),
                ('password_hash', fields.CharField(description='`scrypt$n$r$p$salt$hash` (see core.professionals.passwords).', max_length=200)),
                ('failed_attempts', fields.SmallIntField(default=0)),
                ('locked_until', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('active', fields.BooleanField(default=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('last_sign_in_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'hpr_council_officer', 'app': 'professionals', 'pk_attr': 'id', 'table_description': "A council's staff account for the verification console (created by `arogya admin`)."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='OfficerSession',
            fields=[
                ('token_hash', fields.CharField(primary_key=True, unique=True, db_index=True, max_length=64)),
                ('officer', fields.ForeignKeyField('professionals.CouncilOfficer', source_field='officer_id', db_constraint=True, to_field='id', related_name='sessions', on_delete=OnDelete.CASCADE)),
                ('csrf_token', fields.CharField(description='The per-session CSRF token every form must echo.', max_length=64)),
                ('language', fields.CharField(default='en', max_length=8)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('last_seen_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('expires_at', fields.DatetimeField(db_index=True, description='The absolute end, however active the officer is.', auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'hpr_council_session', 'app': 'professionals', 'pk_attr': 'token_hash', 'table_description': 'A signed-in console session, found by the SHA-256 of its cookie token.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Professional',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('hpr_id', fields.CharField(unique=True, max_length=14)),
                ('handle', fields.CharField(unique=True, description='Lower-case local part of the HPR address (`asha.rao` of `asha.rao@hpr`).', max_length=24)),
                ('name', fields.CharField(max_length=100)),
                ('mobile', fields.CharField(db_index=True, max_length=16)),
                ('mobile_txn_id', fields.CharField(unique=True, description='The verified OTP transaction that proved the mobile (one registration per proof).', max_length=36)),
                ('email', fields.CharField(null=True, max_length=254)),
                ('council', fields.CharField(db_index=True, max_length=4)),
                ('registration_number', fields.CharField(max_length=32)),
                ('registration_year', fields.SmallIntField()),
                ('qualifications', fields.JSONField(default=list, description='`[{"degree", "institution", "university", "year"}, ...]` in the order given.', encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('specialisation', fields.CharField(db_index=True, max_length=32)),
                ('system_of_medicine', fields.CharField(max_length=16)),
                ('years_of_experience', fields.SmallIntField()),
                ('language', fields.CharField(default='en', max_length=8)),
                ('notify_channel', fields.CharField(max_length=16)),
                ('notify_address', fields.CharField(max_length=32)),
                ('status', fields.CharEnumField(default=ProfessionalStatus.PENDING, db_index=True, description='PENDING: PENDING\nVERIFIED: VERIFIED\nREJECTED: REJECTED', enum_type=ProfessionalStatus, max_length=8)),
                ('rejection_reason', fields.CharField(null=True, max_length=500)),
                ('decided_by', fields.CharField(null=True, description='`officer:<COUNCIL>:<username>` of whoever decided.', max_length=64)),
                ('decided_at', fields.DatetimeField(null=True, db_index=True, auto_now=False, auto_now_add=False)),
                ('registered_channel', fields.CharField(max_length=16)),
                ('registered_by', fields.CharField(max_length=64)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'hpr_professional', 'app': 'professionals', 'unique_together': (('council', 'registration_number'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PlaceOfWork',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('professional', fields.ForeignKeyField('professionals.Professional', source_field='professional_id', db_constraint=True, to_field='id', related_name='places', on_delete=OnDelete.CASCADE)),
                ('facility_id', fields.CharField(db_index=True, max_length=12)),
                ('position', fields.SmallIntField(description='The order the doctor gave: the first is where they are mainly found.')),
            ],
            options={'table': 'hpr_place_of_work', 'app': 'professionals', 'unique_together': (('professional', 'facility_id'),), 'pk_attr': 'id', 'table_description': 'A facility (HFR id) the doctor works at: "find a doctor" reaches them through it.'},
            bases=['Model'],
        ),
    ]
