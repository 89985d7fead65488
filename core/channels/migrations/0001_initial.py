from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name='Endpoint',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('channel', fields.CharField(max_length=16)),
                ('address', fields.CharField(description='The chat id on the channel.', max_length=32)),
                ('lang', fields.CharField(default='en', max_length=8)),
                ('mobile', fields.CharField(null=True, db_index=True, description='E.164, set only after an OTP to it was verified in this chat.', max_length=16)),
                ('abha_number', fields.CharField(null=True, description='The ABHA number (14 digits) the chat acts for now, one of those the mobile holds.', max_length=14)),
                ('verified_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'channels_endpoint', 'app': 'channels', 'unique_together': (('channel', 'address'),), 'pk_attr': 'id', 'table_description': 'A chat on a channel, its language, and the mobile it proved by OTP (if any).'},
            bases=['Model'],
        ),
    ]
