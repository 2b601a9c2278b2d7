import json

import pytest

from apps.accounts.models import AuditEntry
from apps.core.errors import ApplicationError, ConflictError, NotFoundError, PermissionDeniedError
from apps.executions.services.launch import execution_start
from apps.playbooks.errors import PlaybookInvalidError
from apps.playbooks.models import Playbook, PlaybookVersion
from apps.playbooks.services import (
    playbook_create_from_template,
    playbook_delete,
    playbook_duplicate,
    playbook_import,
    playbook_restore_version,
    playbook_set_enabled,
    playbook_set_verified,
    playbook_update,
    playbook_update_step,
)
from apps.playbooks.services._common import sha256_of
from tests.playbooks.factories import PlaybookFactory, playbook_yaml

pytestmark = pytest.mark.django_db


def test_import_yaml(team, editor):
    text = playbook_yaml("Restart Line")

    result = playbook_import(team=team, actor=editor, content=text, filename="restart.yaml")

    playbook = Playbook.objects.get()
    assert result.playbook == playbook
    assert result.warnings == []
    assert (playbook.path, playbook.name, playbook.origin, playbook.domain) == (
        "gateway/restart_line.yaml",
        "Restart Line",
        "imported",
        "gateway",
    )
    version = playbook.current_version
    assert (version.revision, version.yaml_text, version.sha256, version.author) == (
        1,
        text,
        sha256_of(text),
        editor,
    )
    assert version.change_note == "Imported from restart.yaml"
    assert [p["name"] for p in version.parameters] == ["gateway_url", "login", "retries"]
    assert AuditEntry.objects.get().action == "playbook.import"


def test_import_paths_do_not_collide(team, editor):
    for _ in range(3):
        playbook_import(team=team, actor=editor, content=playbook_yaml("Same - Name!"))

    assert sorted(Playbook.objects.values_list("path", flat=True)) == [
        "gateway/same_name.yaml",
        "gateway/same_name_1.yaml",
        "gateway/same_name_2.yaml",
    ]


def test_import_of_the_originals_export_json_restores_verified(team, editor):
    export = {
        "name": "Restart",
        "path": "gateway/restart.yaml",
        "version": "1.0",
        "domain": "gateway",
        "yaml_content": playbook_yaml("Restart"),
        "metadata": {"revision": 4, "verified": True, "origin": "user-created"},
    }

    playbook = playbook_import(team=team, actor=editor, content=json.dumps(export)).playbook

    assert (playbook.verified, playbook.verified_by, playbook.origin) == (True, editor, "imported")
    assert playbook.current_version.yaml_text == export["yaml_content"]


def test_import_of_the_cli_export_json(team, editor):
    document = {
        "name": "From CLI",
        "version": "1.0",
        "steps": [{"id": "a", "name": "A", "type": "utility.log", "parameters": {"message": "x"}}],
        "_export_metadata": {"version": "1.0", "credentials_stripped": True},
    }

    playbook = playbook_import(team=team, actor=editor, content=json.dumps(document)).playbook

    assert playbook.name == "From CLI"
    assert "_export_metadata" not in playbook.current_version.yaml_text


def test_import_of_an_empty_export_is_refused(team, editor):
    with pytest.raises(ApplicationError, match="The export file's 'yaml_content' is empty"):
        playbook_import(team=team, actor=editor, content='{"yaml_content": ""}')

    assert Playbook.objects.count() == 0


@pytest.mark.parametrize("content", ["[1, 2]", "{not json: yes}", '{"name": 1}'])
def test_json_that_is_no_export_goes_to_the_loader(team, editor, content):
    with pytest.raises(PlaybookInvalidError):
        playbook_import(team=team, actor=editor, content=content)


def test_invalid_yaml_lists_every_issue(team, editor):
    text = playbook_yaml("Broken", extra="\n      timeout: 5000")

    with pytest.raises(PlaybookInvalidError) as caught:
        playbook_import(team=team, actor=editor, content=text, filename="broken.yaml")

    [issue] = caught.value.issues
    assert (issue["file"], issue["step_id"], issue["key"], issue["severity"]) == (
        "broken.yaml",
        "hello",
        "parameters.timeout",
        "error",
    )
    assert (issue["line"], issue["column"]) == (22, 7)
    assert caught.value.message.startswith("The playbook is not valid (1 problem; first: ")
    assert Playbook.objects.count() == 0


def test_lenient_import_drops_ignored_keys_and_warns(team, editor):
    text = playbook_yaml("Old", extra="\n      timeout: 5000")

    result = playbook_import(team=team, actor=editor, content=text, lenient=True)

    [warning] = result.warnings
    assert (warning["severity"], warning["key"]) == ("warning", "parameters.timeout")
    stored = result.playbook.current_version
    assert "timeout" not in stored.yaml_text
    assert stored.change_note == "Imported; 1 change(s) for the portal's format"
    playbook_update(result.playbook, actor=editor, yaml_text=stored.yaml_text + "\n")


def test_lenient_import_without_parameters(team, editor):
    text = (
        'name: Bare\nversion: "1"\nsteps:\n  - id: a\n    name: A\n    type: utility.log\n'
        "    retry: 3\n"
    )

    result = playbook_import(team=team, actor=editor, content=text, lenient=True)

    assert [w["key"] for w in result.warnings] == ["retry"]
    assert result.playbook.current_version.yaml_text == (
        "name: Bare\nversion: '1'\nsteps:\n- id: a\n  name: A\n  type: utility.log\n"
        "  parameters: {}\n"
    )


def test_import_checks_credential_names_of_the_team(team, editor, credential):
    ok = playbook_yaml("Uses vault", message="{{ credential.line1-gateway.username }}")
    bad = playbook_yaml("Uses missing", message="{{ credential.nowhere.username }}")

    playbook_import(team=team, actor=editor, content=ok)
    with pytest.raises(PlaybookInvalidError):
        playbook_import(team=team, actor=editor, content=bad)

    assert Playbook.objects.count() == 1


@pytest.mark.parametrize("persona", ["viewer", "operator", "outsider"])
def test_only_editors_import(request, team, persona):
    with pytest.raises(PermissionDeniedError, match="Only editors of Line 1 may change playbooks."):
        playbook_import(team=team, actor=request.getfixturevalue(persona), content=playbook_yaml())

    assert Playbook.objects.count() == 0


def test_create_from_template(team, editor):
    playbook = playbook_create_from_template(
        team=team, actor=editor, name="New Check", description="Hi", domain="perspective"
    )

    assert (playbook.path, playbook.domain, playbook.description, playbook.origin) == (
        "perspective/new_check.yaml",
        "perspective",
        "Hi",
        "user",
    )
    assert [p["name"] for p in playbook.current_version.parameters] == [
        "gateway_url",
        "gateway_credential",
    ]


@pytest.mark.parametrize(
    ("values", "message"),
    [({"name": " "}, "A playbook needs a name."), ({"domain": "ai"}, "Unknown domain 'ai'")],
)
def test_create_rejects_bad_input(team, editor, values, message):
    with pytest.raises(ApplicationError, match=message):
        playbook_create_from_template(team=team, actor=editor, **{"name": "x", **values})


def test_update_adds_a_revision(playbook, editor):
    text = playbook_yaml("Renamed")

    updated = playbook_update(playbook, actor=editor, yaml_text=text, change_note="rename")

    assert (updated.name, updated.current_version.revision) == ("Renamed", 2)
    version = PlaybookVersion.objects.get(playbook=playbook, revision=2)
    assert (version.author, version.change_note) == (editor, "rename")
    assert AuditEntry.objects.get().details == {"revision": 2, "change_note": "rename"}


def test_update_with_unchanged_text_stores_nothing(playbook, editor):
    playbook_update(playbook, actor=editor, yaml_text=playbook.current_version.yaml_text)

    assert playbook.versions.count() == 1
    assert AuditEntry.objects.count() == 0


def test_update_from_a_stale_revision_is_a_conflict(playbook, editor):
    playbook_update(playbook, actor=editor, yaml_text=playbook_yaml("Second"))

    with pytest.raises(
        ConflictError, match="changed since revision 1 \\(it is now at revision 2\\)"
    ):
        playbook_update(playbook, actor=editor, yaml_text=playbook_yaml("Third"), base_revision=1)

    assert playbook.versions.count() == 2


def test_update_rejects_invalid_yaml_and_keeps_the_version(playbook, editor):
    with pytest.raises(PlaybookInvalidError):
        playbook_update(playbook, actor=editor, yaml_text="name: [")

    assert playbook.versions.count() == 1


def test_viewer_cannot_update(playbook, viewer):
    with pytest.raises(PermissionDeniedError):
        playbook_update(playbook, actor=viewer, yaml_text=playbook_yaml("X"))

    assert playbook.versions.count() == 1


def test_update_one_step(playbook, editor):
    step = {
        "name": "Log louder",
        "type": "utility.log",
        "parameters": {"message": "Hi", "level": "warning"},
    }

    updated = playbook_update_step(playbook, actor=editor, step_id="hello", step=step)

    version = updated.current_version
    assert (version.revision, version.change_note) == (2, "Edited step hello")
    assert "level: warning" in version.yaml_text


def test_update_of_an_unknown_step(playbook, editor):
    with pytest.raises(NotFoundError, match="Check gateway has no step 'nope'."):
        playbook_update_step(playbook, actor=editor, step_id="nope", step={})


def test_duplicate_keeps_comments_and_starts_unverified(playbook, editor):
    playbook_set_verified(playbook, actor=editor, verified=True)

    copy = playbook_duplicate(playbook, actor=editor)

    assert (copy.name, copy.path, copy.verified, copy.origin, copy.duplicated_from) == (
        "Check gateway (Copy)",
        "gateway/check_gateway_copy.yaml",
        False,
        "user",
        playbook,
    )
    assert copy.current_version.yaml_text.startswith("# A comment that survives")
    assert 'name: "Check gateway (Copy)"' in copy.current_version.yaml_text


def test_duplicate_with_a_flow_style_name(team, editor):
    source = PlaybookFactory(
        team=team,
        yaml_text='{"name": "Flow", "version": "1", "steps": [{"id": "a", "name": "A", '
        '"type": "utility.log"}]}',
    )

    copy = playbook_duplicate(source, actor=editor, name="Flow two")

    assert copy.name == "Flow two"


def test_restore_saves_the_old_text_as_a_new_revision(playbook, editor):
    first = playbook.current_version.yaml_text
    playbook_update(playbook, actor=editor, yaml_text=playbook_yaml("Second"))

    restored = playbook_restore_version(playbook, actor=editor, revision=1)

    assert (restored.current_version.revision, restored.current_version.yaml_text) == (3, first)
    assert restored.current_version.change_note == "Restored revision 1"
    assert restored.name == "Check gateway"


def test_restore_of_a_missing_revision(playbook, editor):
    with pytest.raises(NotFoundError, match="Check gateway has no revision 9."):
        playbook_restore_version(playbook, actor=editor, revision=9)


def test_verify_and_unverify(playbook, editor):
    playbook_set_verified(playbook, actor=editor, verified=True)
    playbook.refresh_from_db()
    assert (playbook.verified, playbook.verified_by) == (True, editor)
    assert playbook.verified_at is not None

    playbook_set_verified(playbook, actor=editor, verified=False)
    playbook.refresh_from_db()
    assert (playbook.verified, playbook.verified_by, playbook.verified_at) == (False, None, None)
    assert list(AuditEntry.objects.order_by("pk").values_list("action", flat=True)) == [
        "playbook.verify",
        "playbook.unverify",
    ]


def test_enable_and_disable(builtin_playbook, editor, viewer):
    playbook_set_enabled(builtin_playbook, actor=editor, enabled=False)
    with pytest.raises(PermissionDeniedError):
        playbook_set_enabled(builtin_playbook, actor=viewer, enabled=True)

    builtin_playbook.refresh_from_db()
    assert builtin_playbook.enabled is False


def test_delete_user_playbook(playbook, editor):
    playbook_delete(playbook, actor=editor)

    assert Playbook.objects.count() == 0
    assert PlaybookVersion.objects.count() == 0


def test_builtins_cannot_be_deleted(builtin_playbook, editor):
    with pytest.raises(ConflictError, match="Library is a built-in playbook and cannot be deleted"):
        playbook_delete(builtin_playbook, actor=editor)

    assert Playbook.objects.count() == 1


def test_playbooks_with_runs_are_not_deleted(playbook, editor, operator):
    execution_start(playbook, actor=operator)

    with pytest.raises(ConflictError, match="has runs in the history.*disable it instead"):
        playbook_delete(playbook, actor=editor)

    assert Playbook.objects.count() == 1


def test_the_copy_of_a_longest_name_fits_its_field(team, editor):
    source = PlaybookFactory(team=team, name="N" * 200, yaml_text=playbook_yaml("N" * 200))

    copy = playbook_duplicate(source, actor=editor)

    assert copy.name == "N" * 193 + " (Copy)"
