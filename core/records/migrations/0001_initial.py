from tortoise import migrations
from tortoise.migrations import operations as ops
from core.records.hitypes import HiType
from core.records.models import RecordSource
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('facilities', '0001_initial'), ('healthid', '0001_initial')]

    initial = True

    operations = [
        ops.CreateModel(
            name='CareContext',
            fields=[
                ('id', fields.CharField(primary_key=True, unique=True, db_index=True, max_length=36)),
                ('facility', fields.ForeignKeyField('facilities.Facility', source_field='facility_id', db_constraint=True, to_field='id', related_name='care_contexts', on_delete=OnDelete.RESTRICT)),
                ('person', fields.ForeignKeyField('healthid.Person', source_field='person_id', db_constraint=True, to_field='id', related_name='care_contexts', on_delete=OnDelete.RESTRICT)),
                ('reference', fields.CharField(description="The facility's own reference (its visit or admission number).", max_length=64)),
                ('display', fields.CharField(max_length=200)),
                ('hi_type', fields.CharEnumField(description='PRESCRIPTION: Prescription\nDIAGNOSTIC_REPORT: DiagnosticReport\nOP_CONSULTATION: OPConsultation\nDISCHARGE_SUMMARY: DischargeSummary\nIMMUNIZATION_RECORD: ImmunizationRecord\nHEALTH_DOCUMENT_RECORD: HealthDocumentRecord\nWELLNESS_RECORD: WellnessRecord', enum_type=HiType, max_length=24)),
                ('date', fields.DateField()),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'records_care_context', 'app': 'records', 'unique_together': (('facility', 'reference'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='HealthRecord',
            fields=[
                ('seq', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('id', fields.CharField(unique=True, max_length=36)),
                ('person', fields.ForeignKeyField('healthid.Person', source_field='person_id', db_constraint=True, to_field='id', related_name='health_records', on_delete=OnDelete.RESTRICT)),
                ('facility', fields.ForeignKeyField('facilities.Facility', source_field='facility_id', null=True, description='Null for a record the person uploaded themselves.', db_constraint=True, to_field='id', related_name='health_records', on_delete=OnDelete.RESTRICT)),
                ('care_context', fields.ForeignKeyField('records.CareContext', source_field='care_context_id', null=True, db_constraint=True, to_field='id', related_name='records', on_delete=OnDelete.RESTRICT)),
                ('source', fields.CharEnumField(description='FACILITY: facility\nSELF: self', enum_type=RecordSource, max_length=16)),
                ('hi_type', fields.CharEnumField(db_index=True, description='PRESCRIPTION: Prescription\nDIAGNOSTIC_REPORT: DiagnosticReport\nOP_CONSULTATION: OPConsultation\nDISCHARGE_SUMMARY: DischargeSummary\nIMMUNIZATION_RECORD: ImmunizationRecord\nHEALTH_DOCUMENT_RECORD: HealthDocumentRecord\nWELLNESS_RECORD: WellnessRecord', enum_type=HiType, max_length=24)),
                ('date', fields.DateField(db_index=True, description="The document's own date (Composition.date), for listing newest first.")),
                ('display', fields.CharField(max_length=200)),
                ('size', fields.IntField()),
                ('key_id', fields.CharField(db_index=True, description='Which keyring key sealed `sealed` (see core.records.vault).', max_length=16)),
                ('sealed', fields.BinaryField()),
                ('idempotency_key', fields.CharField(null=True, max_length=128)),
                ('request_digest', fields.CharField(null=True, description='Keyed hash of (care context, bundle): tells a retry from a different upload reusing a key.', max_length=64)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'records_health_record', 'app': 'records', 'unique_together': (('facility', 'idempotency_key'),), 'pk_attr': 'seq'},
            bases=['Model'],
        ),
    ]
