"""Built-ins of the shipped library are verified: mark those installed before that rule.

Only built-ins no user has edited (every version written by the library sync) change; the
time of verification is this migration's, with no verifying user.
"""

from django.db import migrations
from django.utils import timezone


def verify_unedited_builtins(apps, schema_editor):
    Playbook = apps.get_model("playbooks", "Playbook")
    unedited = Playbook.objects.filter(origin="builtin", verified=False).exclude(
        versions__author__isnull=False
    )
    unedited.update(verified=True, verified_at=timezone.now())


class Migration(migrations.Migration):
    dependencies = [("playbooks", "0002_preset_secret_values")]

    operations = [migrations.RunPython(verify_unedited_builtins, migrations.RunPython.noop)]
