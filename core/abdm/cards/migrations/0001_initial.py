from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name='AbdmUserToken',
            fields=[
                ('abha_number', fields.CharField(primary_key=True, unique=True, db_index=True, max_length=14)),
                ('sealed', fields.TextField(unique=False)),
                ('obtained_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('expires_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'abdm_user_token', 'app': 'abdmcards', 'pk_attr': 'abha_number', 'table_description': 'The latest user token ABDM gave for an ABHA, sealed, deleted or replaced once stale.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='AbdmCard',
            fields=[
                ('abha_number', fields.CharField(primary_key=True, unique=True, db_index=True, max_length=14)),
                ('kind', fields.CharField(max_length=8)),
                ('sealed', fields.TextField(unique=False)),
                ('fetched_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'abdm_card', 'app': 'abdmcards', 'pk_attr': 'abha_number', 'table_description': 'ABDM\'s card of an ABHA (kind card), or its QR when the card came as a PDF (kind qr).'},
            bases=['Model'],
        ),
    ]
