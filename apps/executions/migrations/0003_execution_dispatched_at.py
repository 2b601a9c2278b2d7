from django.db import migrations, models
from django.db.models import F


def mark_existing_runs_dispatched(apps, schema_editor):
    """Runs created before the field existed were sent at launch; only new ones may be pending."""
    Execution = apps.get_model("executions", "Execution")
    Execution.objects.update(dispatched_at=F("queued_at"))


class Migration(migrations.Migration):

    dependencies = [
        ('executions', '0002_execution_secret_parameters'),
    ]

    operations = [
        migrations.AddField(
            model_name='execution',
            name='dispatched_at',
            field=models.DateTimeField(blank=True, help_text='When its message was handed to the broker; empty while it never reached it.', null=True),
        ),
        migrations.RunPython(mark_existing_runs_dispatched, migrations.RunPython.noop),
    ]
