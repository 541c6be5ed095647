# The model moved here from the `core` app: state only, the table `outbox` stays as it is.

from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('core', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='OutboxMessage',
                    fields=[
                        ('id', models.BigAutoField(primary_key=True, serialize=False)),
                        ('kind', models.CharField(max_length=64)),
                        ('payload', models.JSONField()),
                        ('request_id', models.CharField(max_length=128)),
                        ('created_at', models.DateTimeField()),
                        ('published_at', models.DateTimeField(null=True)),
                        ('delivered_at', models.DateTimeField(null=True)),
                    ],
                    options={
                        'db_table': 'outbox',
                        'indexes': [models.Index(condition=models.Q(('published_at__isnull', True)), fields=['created_at'], name='outbox_unpublished')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
