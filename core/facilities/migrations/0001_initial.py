from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from core.facilities.models import FacilityStatus, FacilityType, Ownership, SystemOfMedicine
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name='Facility',
            fields=[
                ('id', fields.CharField(primary_key=True, unique=True, db_index=True, description="`IN` + the state's two-digit LGD code + 8 random digits (see core.facilities.ids).", max_length=12)),
                ('name', fields.CharField(db_index=True, max_length=200)),
                ('facility_type', fields.CharEnumField(db_index=True, description='HOSPITAL: hospital\nCLINIC: clinic\nDIAGNOSTIC_LAB: diagnostic_lab\nIMAGING_CENTRE: imaging_centre\nPHARMACY: pharmacy\nBLOOD_BANK: blood_bank\nHEALTH_WELLNESS_CENTRE: health_wellness_centre\nSUB_CENTRE: sub_centre\nPRIMARY_HEALTH_CENTRE: primary_health_centre\nCOMMUNITY_HEALTH_CENTRE: community_health_centre\nNURSING_HOME: nursing_home\nDENTAL_CLINIC: dental_clinic', enum_type=FacilityType, max_length=32)),
                ('ownership', fields.CharEnumField(description='PUBLIC: public\nPRIVATE: private', enum_type=Ownership, max_length=16)),
                ('system_of_medicine', fields.CharEnumField(description='MODERN_MEDICINE: modern_medicine\nAYURVEDA: ayurveda\nYOGA_NATUROPATHY: yoga_naturopathy\nUNANI: unani\nSIDDHA: siddha\nHOMOEOPATHY: homoeopathy\nSOWA_RIGPA: sowa_rigpa', enum_type=SystemOfMedicine, max_length=24)),
                ('specialities', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('services', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('address', fields.CharField(max_length=300)),
                ('state_code', fields.SmallIntField()),
                ('district_code', fields.SmallIntField(db_index=True)),
                ('pincode', fields.CharField(db_index=True, max_length=6)),
                ('phone', fields.CharField(max_length=16)),
                ('callback_url', fields.CharField(null=True, description='Where consent status changes are posted to this facility as a HIU: https, or loopback http.', max_length=500)),
                ('status', fields.CharEnumField(default=FacilityStatus.DRAFT, description='DRAFT: DRAFT\nSUBMITTED: SUBMITTED\nVERIFIED: VERIFIED\nREJECTED: REJECTED', enum_type=FacilityStatus, max_length=16)),
                ('rejection_reason', fields.CharField(null=True, max_length=500)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('submitted_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('decided_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('decided_by', fields.CharField(null=True, max_length=64)),
            ],
            options={'table': 'facilities_facility', 'app': 'facilities', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='FacilityApiKey',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('key_id', fields.CharField(unique=True, description='The public half of the key, used to find this row (see core.facilities.keys).', max_length=16)),
                ('facility', fields.ForeignKeyField('facilities.Facility', source_field='facility_id', db_constraint=True, to_field='id', related_name='api_keys', on_delete=OnDelete.RESTRICT)),
                ('secret_hash', fields.CharField(max_length=64)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('revoked_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'facilities_api_key', 'app': 'facilities', 'pk_attr': 'id', 'table_description': 'One partner API key. The secret itself is never stored, only its SHA-256.'},
            bases=['Model'],
        ),
    ]
