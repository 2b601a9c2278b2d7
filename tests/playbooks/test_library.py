import pytest
from django.core.management import CommandError, call_command

from apps.playbooks.models import Playbook, PlaybookOrigin
from apps.playbooks.services import playbook_library_sync, playbook_update
from tests.accounts.factories import TeamFactory
from tests.playbooks.factories import PlaybookFactory, playbook_yaml

pytestmark = pytest.mark.django_db

CHILD_CALLER = """name: Caller
version: "1.0"
steps:
  - id: call
    name: Call the child
    type: playbook.run
    parameters:
      playbook: gateway/child.yaml
"""


@pytest.fixture
def library(tmp_path):
    (tmp_path / "gateway").mkdir()
    (tmp_path / "gateway" / "child.yaml").write_text(playbook_yaml("Child"))
    (tmp_path / "gateway" / "caller.yaml").write_text(CHILD_CALLER)
    (tmp_path / "gateway" / "child.backup.2024.yaml").write_text("ignored: [")
    (tmp_path / "README.yaml").write_text("not: in a domain folder")
    return tmp_path


def test_sync_creates_builtins_in_every_team(library, team, other_team):
    report = playbook_library_sync(root=library)

    assert report.created == [
        "Line 1: gateway/caller.yaml",
        "Line 1: gateway/child.yaml",
        "Line 2: gateway/caller.yaml",
        "Line 2: gateway/child.yaml",
    ]
    assert (report.updated, report.skipped, report.invalid) == ([], [], {})
    playbook = Playbook.objects.get(team=team, path="gateway/child.yaml")
    assert (playbook.origin, playbook.name, playbook.verified) == ("builtin", "Child", False)
    assert (playbook.current_version.author, playbook.current_version.change_note) == (
        None,
        "Library sync",
    )


def test_sync_is_idempotent(library, team):
    playbook_library_sync(root=library)

    report = playbook_library_sync(root=library)

    assert report.unchanged == ["Line 1: gateway/caller.yaml", "Line 1: gateway/child.yaml"]
    assert report.created == report.updated == []
    assert Playbook.objects.count() == 2


def test_a_changed_file_becomes_a_new_version(library, team):
    playbook_library_sync(root=library)
    (library / "gateway" / "child.yaml").write_text(playbook_yaml("Child", message="Changed"))

    report = playbook_library_sync(root=library)

    assert report.updated == ["Line 1: gateway/child.yaml"]
    playbook = Playbook.objects.get(path="gateway/child.yaml")
    assert (playbook.current_version.revision, playbook.current_version.change_note) == (
        2,
        "Library update",
    )


def test_user_edits_are_never_overwritten(library, team, editor):
    playbook_library_sync(root=library)
    child = Playbook.objects.get(path="gateway/child.yaml")
    playbook_update(child, actor=editor, yaml_text=playbook_yaml("Child", message="Mine"))
    (library / "gateway" / "child.yaml").write_text(playbook_yaml("Child", message="Library"))

    report = playbook_library_sync(root=library)

    assert report.skipped == ["Line 1: gateway/child.yaml (edited by a user; not overwritten)"]
    child.refresh_from_db()
    assert "Mine" in child.current_version.yaml_text


def test_a_user_playbook_at_the_path_is_left_alone(library, team):
    PlaybookFactory(team=team, path="gateway/child.yaml", origin=PlaybookOrigin.USER)

    report = playbook_library_sync(root=library, teams=[team])

    assert report.skipped == ["Line 1: gateway/child.yaml (a user playbook has this path)"]


def test_verified_in_the_yaml_seeds_the_flag_once(tmp_path, team):
    (tmp_path / "gateway").mkdir()
    (tmp_path / "gateway" / "base.yaml").write_text("verified: true\n" + playbook_yaml("Base"))

    playbook_library_sync(root=tmp_path)

    playbook = Playbook.objects.get()
    assert (playbook.verified, playbook.verified_by) == (True, None)


def test_invalid_files_are_reported_and_not_loaded(tmp_path, team):
    (tmp_path / "gateway").mkdir()
    (tmp_path / "gateway" / "broken.yaml").write_text("name: Broken\n")

    report = playbook_library_sync(root=tmp_path)

    assert list(report.invalid) == ["gateway/broken.yaml"]
    assert report.invalid["gateway/broken.yaml"][0]["file"] == "playbooks/gateway/broken.yaml"
    assert Playbook.objects.count() == 0


def test_command_prints_a_summary(library, team, capsys):
    call_command("sync_playbooks", "--path", str(library))
    call_command("sync_playbooks", "--path", str(library), "--team", "Line 1")

    out = capsys.readouterr().out.splitlines()
    assert out == [
        "created: Line 1: gateway/caller.yaml",
        "created: Line 1: gateway/child.yaml",
        "Playbook library: 2 created, 0 updated, 0 unchanged, 0 skipped, 0 invalid.",
        "Playbook library: 0 created, 0 updated, 2 unchanged, 0 skipped, 0 invalid.",
    ]


def test_command_fails_for_invalid_files(tmp_path, team, capsys):
    (tmp_path / "gateway").mkdir()
    (tmp_path / "gateway" / "broken.yaml").write_text("name: Broken\n")

    with pytest.raises(CommandError, match="1 library file\\(s\\) are not valid playbooks."):
        call_command("sync_playbooks", "--path", str(tmp_path))

    assert capsys.readouterr().err.startswith("invalid: playbooks/gateway/broken.yaml:")


def test_command_rejects_unknown_teams_and_folders(library, tmp_path):
    TeamFactory(name="Known")

    with pytest.raises(CommandError, match="No team named Ghost."):
        call_command("sync_playbooks", "--path", str(library), "--team", "Ghost")
    with pytest.raises(CommandError, match="does not exist."):
        call_command("sync_playbooks", "--path", str(tmp_path / "nowhere"))
    assert Playbook.objects.count() == 0
