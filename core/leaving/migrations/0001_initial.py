from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('healthid', '0001_initial')]

    initial = True

    operations = [
        ops.CreateModel(
            name='Erasure',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('person', fields.ForeignKeyField('healthid.Person', source_field='person_id', unique=True, db_constraint=True, to_field='id', related_name='erasures', on_delete=OnDelete.RESTRICT)),
                ('reason', fields.CharField(description='Why: `holder` (the person asked) or `not_me` (an ABHA made without the person knowing).', max_length=16)),
                ('mobile', fields.CharField(null=True, description='The wiped mobile (E.164), until the purge.', max_length=16)),
                ('requested_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('purge_after', fields.DatetimeField(db_index=True, description='The end of the grace period: records and artefacts are purged from then on.', auto_now=False, auto_now_add=False)),
                ('purged_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'leaving_erasure', 'app': 'leaving', 'pk_attr': 'id'},
            bases=['Model'],
        ),
    ]
