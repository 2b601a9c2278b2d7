"""Data migrations of playbooks, run forwards on rows written under the schema before them."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BEFORE = [("playbooks", "0002_preset_secret_values")]
AFTER = [("playbooks", "0003_verify_unedited_builtins")]


@pytest.fixture(autouse=True)
def _back_to_the_latest_schema():
    """Going back unapplies the other apps' later migrations too: apply everything again."""
    yield
    executor = MigrationExecutor(connection)
    migrate(executor.loader.graph.leaf_nodes())


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def builtin(apps, team, path: str, *, author=None):
    Playbook = apps.get_model("playbooks", "Playbook")
    PlaybookVersion = apps.get_model("playbooks", "PlaybookVersion")
    playbook = Playbook.objects.create(team=team, name=path, path=path, origin="builtin")
    PlaybookVersion.objects.create(
        playbook=playbook, revision=1, yaml_text="", sha256=path, author=author
    )
    return playbook.pk


def test_builtins_installed_unverified_become_verified_unless_a_user_edited_them():
    apps = migrate(BEFORE)
    team = apps.get_model("accounts", "Team").objects.create(name="Plant")
    editor = apps.get_model("accounts", "User").objects.create(username="erin")
    untouched = builtin(apps, team, "gateway/backup.yaml")
    edited = builtin(apps, team, "gateway/restart.yaml", author=editor)

    apps = migrate(AFTER)

    verified = dict(apps.get_model("playbooks", "Playbook").objects.values_list("pk", "verified"))
    assert verified == {untouched: True, edited: False}
