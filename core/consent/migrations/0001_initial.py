from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from core.consent.models import CallbackStatus, ConsentStatus
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('facilities', '0001_initial'), ('healthid', '0001_initial')]

    initial = True

    operations = [
        ops.CreateModel(
            name='ConsentRequest',
            fields=[
                ('seq', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('id', fields.CharField(unique=True, max_length=36)),
                ('code', fields.CharField(description='Four characters the person types to answer by SMS, unique among their requests.', max_length=4)),
                ('person', fields.ForeignKeyField('healthid.Person', source_field='person_id', db_constraint=True, to_field='id', related_name='consent_requests', on_delete=OnDelete.RESTRICT)),
                ('hiu', fields.ForeignKeyField('facilities.Facility', source_field='hiu_id', db_constraint=True, to_field='id', related_name='consent_requests', on_delete=OnDelete.RESTRICT)),
                ('hiu_request_id', fields.CharField(description="The HIU's own requestId, unique per HIU: a retried call creates nothing new.", max_length=64)),
                ('request_digest', fields.CharField(description='Digest of the checked request, to tell a retry from a different request reusing an id.', max_length=64)),
                ('purpose', fields.CharField(max_length=8)),
                ('purpose_text', fields.CharField(null=True, max_length=100)),
                ('requester_name', fields.CharField(max_length=100)),
                ('requester_council', fields.CharField(max_length=4)),
                ('requester_number', fields.CharField(max_length=32)),
                ('hi_types', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('access_mode', fields.CharField(max_length=8)),
                ('date_from', fields.DateField(description='Calendar days in India (IST), both included.')),
                ('date_to', fields.DateField()),
                ('erase_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
                ('frequency', fields.JSONField(default=dict, description="ABDM's {unit, value, repeats}, kept as sent.", encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('status', fields.CharEnumField(db_index=True, description='REQUESTED: REQUESTED\nGRANTED: GRANTED\nDENIED: DENIED\nREVOKED: REVOKED\nEXPIRED: EXPIRED', enum_type=ConsentStatus, max_length=16)),
                ('deadline', fields.DatetimeField(db_index=True, description='An unanswered request expires at this moment.', auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('decided_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('decided_channel', fields.CharField(null=True, max_length=16)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'consent_request', 'app': 'consent', 'unique_together': (('hiu', 'hiu_request_id'), ('person', 'code')), 'pk_attr': 'seq', 'table_description': "One HIU's request for one person's records, and that person's answer."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ConsentArtefact',
            fields=[
                ('seq', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('id', fields.CharField(unique=True, max_length=36)),
                ('request', fields.ForeignKeyField('consent.ConsentRequest', source_field='request_id', db_constraint=True, to_field='seq', related_name='artefacts', on_delete=OnDelete.RESTRICT)),
                ('person', fields.ForeignKeyField('healthid.Person', source_field='person_id', db_constraint=True, to_field='id', related_name='consent_artefacts', on_delete=OnDelete.RESTRICT)),
                ('hiu', fields.ForeignKeyField('facilities.Facility', source_field='hiu_id', db_constraint=True, to_field='id', related_name='artefacts_as_hiu', on_delete=OnDelete.RESTRICT)),
                ('hip', fields.ForeignKeyField('facilities.Facility', source_field='hip_id', db_constraint=True, to_field='id', related_name='artefacts_as_hip', on_delete=OnDelete.RESTRICT)),
                ('hi_types', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('date_from', fields.DateField()),
                ('date_to', fields.DateField()),
                ('erase_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('care_contexts', fields.JSONField(default=list, description="Ids of the HIP's care contexts this artefact covers, fixed at the grant.", encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('status', fields.CharEnumField(db_index=True, description='REQUESTED: REQUESTED\nGRANTED: GRANTED\nDENIED: DENIED\nREVOKED: REVOKED\nEXPIRED: EXPIRED', enum_type=ConsentStatus, max_length=16)),
                ('signed', fields.TextField(description='The artefact as a compact JWS (EdDSA), as sent to the HIU.', unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'consent_artefact', 'app': 'consent', 'pk_attr': 'seq', 'table_description': 'What one HIP may release to one HIU under a grant, signed.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ConsentCallback',
            fields=[
                ('seq', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('id', fields.CharField(unique=True, description='The event id the HIU sees, the same on every retry, so it applies the event once.', max_length=36)),
                ('request', fields.ForeignKeyField('consent.ConsentRequest', source_field='request_id', db_constraint=True, to_field='seq', related_name='callbacks', on_delete=OnDelete.RESTRICT)),
                ('hiu', fields.ForeignKeyField('facilities.Facility', source_field='hiu_id', db_constraint=True, to_field='id', related_name='consent_callbacks', on_delete=OnDelete.RESTRICT)),
                ('event', fields.CharEnumField(description='REQUESTED: REQUESTED\nGRANTED: GRANTED\nDENIED: DENIED\nREVOKED: REVOKED\nEXPIRED: EXPIRED', enum_type=ConsentStatus, max_length=16)),
                ('payload', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('dedupe_key', fields.CharField(unique=True, description='Request id and status: one change is announced once, however often it is queued.', max_length=64)),
                ('status', fields.CharEnumField(default=CallbackStatus.PENDING, description='PENDING: PENDING\nSENT: SENT\nFAILED: FAILED', enum_type=CallbackStatus, max_length=8)),
                ('attempts', fields.IntField(default=0)),
                ('next_attempt_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
                ('claimed_until', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('last_error', fields.CharField(null=True, max_length=200)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('sent_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'consent_callback', 'app': 'consent', 'pk_attr': 'seq', 'table_description': "One status change to POST to the HIU's callback URL, with retries."},
            bases=['Model'],
        ),
    ]
