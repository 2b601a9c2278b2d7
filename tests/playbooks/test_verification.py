"""Verified is a rule: behaviour changes clear it; the shipped library arrives verified."""

import pytest

from apps.accounts.models import AuditEntry
from apps.accounts.services import team_create
from apps.playbooks.models import Playbook, PlaybookOrigin
from apps.playbooks.services import playbook_library_sync, playbook_update, shipped_library_root
from tests.playbooks.factories import PlaybookFactory, playbook_yaml

pytestmark = pytest.mark.django_db


@pytest.fixture
def verified(team, editor):
    return PlaybookFactory(team=team, verified=True, yaml_text=playbook_yaml("Check"))


def test_changing_the_steps_of_a_verified_playbook_clears_verified_and_says_so(verified, editor):
    playbook_update(verified, actor=editor, yaml_text=playbook_yaml("Check", message="Other"))

    verified.refresh_from_db()
    assert (verified.verified, verified.verified_by, verified.verified_at) == (False, None, None)
    assert verified.current_version.change_note == (
        "(no longer verified: its steps or parameters changed)"
    )
    assert AuditEntry.objects.filter(action="playbook.unverify").count() == 1


def test_a_new_description_keeps_it_verified(verified, editor):
    text = playbook_yaml("Check").replace("Logs a line.", "Logs a line, documented.")

    playbook_update(verified, actor=editor, yaml_text=text, change_note="Docs")

    verified.refresh_from_db()
    assert verified.verified is True
    assert verified.current_version.change_note == "Docs"


def test_the_shipped_library_arrives_verified(team):
    report = playbook_library_sync(root=shipped_library_root(), teams=[team])

    assert report.invalid == {}
    builtins = Playbook.objects.filter(team=team, origin=PlaybookOrigin.BUILTIN)
    assert builtins.count() == len(report.created) > 20
    assert not builtins.filter(verified=False).exists()


def test_a_team_created_later_gets_the_library_at_once(
    admin_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        team = team_create(name="Packaging", actor=admin_user)

    paths = set(Playbook.objects.filter(team=team).values_list("path", flat=True))
    assert {"gateway/gateway_login.yaml", "perspective/test_suite_master.yaml"} <= paths
    assert not Playbook.objects.filter(team=team, verified=False).exists()
