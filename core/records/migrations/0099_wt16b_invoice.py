from tortoise import migrations
from tortoise.migrations import operations as ops
from core.records.hitypes import HiType
from tortoise import fields


class DescriptionOnly(ops.AlterField):
    """A field's description is tortoise's state, not a column property: nothing to do in SQL.

    Why not a plain AlterField: on SQLite tortoise alters a column by rebuilding the table, and
    the rebuild dropped `records_care_context`'s (facility, reference) unique constraint, so
    relinking a visit and concurrent pushes stopped being idempotent. Adding `Invoice` to
    `HiType` changes only the generated description (the column is already 24 characters).
    """

    async def database_forward(self, *args: object, **kwargs: object) -> None:
        return None

    async def database_backward(self, *args: object, **kwargs: object) -> None:
        return None


class Migration(migrations.Migration):
    dependencies = [('facilities', '0001_initial'), ('healthid', '0001_initial'), ('records', '0002_link_requests')]

    initial = False

    operations = [
        DescriptionOnly(
            model_name='CareContext',
            name='hi_type',
            field=fields.CharEnumField(description='PRESCRIPTION: Prescription\nDIAGNOSTIC_REPORT: DiagnosticReport\nOP_CONSULTATION: OPConsultation\nDISCHARGE_SUMMARY: DischargeSummary\nIMMUNIZATION_RECORD: ImmunizationRecord\nHEALTH_DOCUMENT_RECORD: HealthDocumentRecord\nWELLNESS_RECORD: WellnessRecord\nINVOICE: Invoice', enum_type=HiType, max_length=24),
        ),
        DescriptionOnly(
            model_name='HealthRecord',
            name='hi_type',
            field=fields.CharEnumField(db_index=True, description='PRESCRIPTION: Prescription\nDIAGNOSTIC_REPORT: DiagnosticReport\nOP_CONSULTATION: OPConsultation\nDISCHARGE_SUMMARY: DischargeSummary\nIMMUNIZATION_RECORD: ImmunizationRecord\nHEALTH_DOCUMENT_RECORD: HealthDocumentRecord\nWELLNESS_RECORD: WellnessRecord\nINVOICE: Invoice', enum_type=HiType, max_length=24),
        ),
    ]
