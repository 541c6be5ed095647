# The Outbox model moved to the `outbox` app (OutboxMessage): state only, the table stays.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0001_initial'),
        ('outbox', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='Outbox')],
            database_operations=[],
        ),
    ]
