"""Importing a set keeps its shape: namespace, relative paths, the set's own children first."""

import io
import json
import zipfile
from textwrap import dedent

import pytest

from apps.accounts.models import AuditEntry
from apps.core.errors import PermissionDeniedError
from apps.playbooks.models import Playbook, PlaybookOrigin
from apps.playbooks.services import playbook_import
from apps.playbooks.services.imports import namespace_of, playbook_import_set
from apps.playbooks.services.sets import SetFile, files_from_uploads
from tests.playbooks.factories import PlaybookFactory

pytestmark = pytest.mark.django_db

CHILD = dedent("""
    name: Gateway Login
    version: "2.0"
    verified: true
    parameters:
      - {name: gateway_url, type: string, default: "http://localhost:8088"}
      - {name: username, type: string}
      - {name: password, type: string}
    steps:
      - id: open
        name: Open
        type: browser.navigate
        parameters: {url: "{{ gateway_url }}/web/home", timeout: 30}
""")
PARENT = dedent("""
    name: Backup
    version: "5.0"
    parameters:
      - {name: gateway_url, type: string, default: "http://localhost:8088"}
      - {name: admin_password, type: string, secret: true}
    steps:
      - id: login
        name: Login
        type: playbook.run
        parameters:
          playbook: gateway/gateway_login.yaml
          gateway_url: "{{ gateway_url }}"
          username: admin
          password: "{{ admin_password }}"
""")
BUILTIN_LOGIN = dedent("""
    name: Built-in login
    version: "1"
    parameters: [{name: gateway_credential, type: credential}]
    steps:
      - {id: a, name: A, type: utility.log, parameters: {message: hi}}
""")


def _set(*files: tuple[str, str]) -> list[SetFile]:
    return [SetFile(path, content) for path, content in files]


def test_a_set_lands_under_its_namespace_and_calls_its_own_child(team, editor):
    PlaybookFactory(
        team=team,
        path="gateway/gateway_login.yaml",
        origin=PlaybookOrigin.BUILTIN,
        yaml_text=BUILTIN_LOGIN,
    )
    files = _set(("gateway/gateway_login.yaml", CHILD), ("gateway/backup.yaml", PARENT))

    result = playbook_import_set(
        team=team, actor=editor, files=files, set_name="Playground 5", lenient=True
    )

    assert result.ok, [o.errors for o in result.files]
    assert [(o.path, o.result) for o in result.files] == [
        ("imported/playground_5/gateway/gateway_login.yaml", "imported"),
        ("imported/playground_5/gateway/backup.yaml", "imported"),
    ]
    parent = Playbook.objects.get(path="imported/playground_5/gateway/backup.yaml")
    assert "playbook: imported/playground_5/gateway/gateway_login.yaml" in (
        parent.current_version.yaml_text
    )
    messages = [w["message"] for w in result.files[1].warnings]
    assert messages == [
        "'gateway/gateway_login.yaml' is this set's file: it now reads "
        "'imported/playground_5/gateway/gateway_login.yaml' (not the team's playbook "
        "'gateway/gateway_login.yaml')"
    ]
    child = Playbook.objects.get(path="imported/playground_5/gateway/gateway_login.yaml")
    assert child.current_version.parameters[2] == {
        "name": "password",
        "type": "string",
        "required": True,
        "default": None,
        "description": "",
        "secret": True,
    }
    assert (child.verified, child.verified_by) == (True, editor)
    assert AuditEntry.objects.filter(action="playbook.verify", object_id=str(child.pk)).exists()


def test_a_child_call_with_a_missing_parameter_fails_the_parent_only(team, editor):
    parent = PARENT.replace("      username: admin\n", "")
    files = _set(("gateway/gateway_login.yaml", CHILD), ("gateway/backup.yaml", parent))

    result = playbook_import_set(team=team, actor=editor, files=files, lenient=True)

    assert [o.result for o in result.files] == ["imported", "error"]
    assert [e["message"] for e in result.files[1].errors] == [
        "Child playbook 'imported/set/gateway/gateway_login.yaml' needs parameter 'username' "
        "(string)",
    ]


def test_a_name_only_match_beside_a_builtin_is_ambiguous(team, editor):
    PlaybookFactory(team=team, path="gateway/gateway_login.yaml", yaml_text=BUILTIN_LOGIN)
    files = _set(("gateway_login.yaml", CHILD), ("backup.yaml", PARENT))

    result = playbook_import_set(team=team, actor=editor, files=files, lenient=True)

    assert [o.result for o in result.files] == ["imported", "error"]
    assert result.files[1].errors[0]["message"] == (
        "'gateway/gateway_login.yaml' is ambiguous: it could be this set's 'gateway_login.yaml' "
        "or the team's playbook 'gateway/gateway_login.yaml'. Write the path of the one you "
        "mean (a set file's path inside the set)"
    )


def test_a_failed_child_fails_its_parents_and_a_dry_run_saves_nothing(team, editor):
    files = _set(("gateway/gateway_login.yaml", CHILD), ("gateway/backup.yaml", PARENT))

    result = playbook_import_set(team=team, actor=editor, files=files, dry_run=True)

    assert [o.result for o in result.files] == ["error", "error"]
    assert result.files[1].errors[0]["message"] == (
        "Its child playbook 'imported/set/gateway/gateway_login.yaml' of this set did not import"
    )
    assert not Playbook.objects.exists()


def test_zips_keep_their_folders_and_exports_their_path(team, editor):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("old-tool/playbooks/gateway/gateway_login.yaml", CHILD)
        z.writestr("old-tool/playbooks/gateway/backup.yaml", PARENT)
        z.writestr("old-tool/playbooks/gateway/x.backup.1.yaml", "junk")
        z.writestr("old-tool/README.md", "docs")
    export = json.dumps(
        {"name": "B", "path": "gateway/copy.yaml", "domain": "gateway", "yaml_content": PARENT}
    )

    files = files_from_uploads(
        [("set.zip", archive.getvalue()), ("B_export.json", export.encode())]
    )
    result = playbook_import_set(
        team=team, actor=editor, files=files, namespace="team-a/migrated", lenient=True
    )

    assert [o.path for o in result.files] == [
        "team_a/migrated/gateway/gateway_login.yaml",
        "team_a/migrated/gateway/backup.yaml",
        "team_a/migrated/gateway/copy.yaml",
    ]
    assert result.ok


def test_an_existing_path_is_an_error_and_viewers_cannot_import(team, editor, viewer):
    PlaybookFactory(team=team, path="imported/set/gateway/gateway_login.yaml")

    result = playbook_import_set(
        team=team, actor=editor, files=_set(("gateway/gateway_login.yaml", CHILD)), lenient=True
    )
    with pytest.raises(PermissionDeniedError):
        playbook_import_set(team=team, actor=viewer, files=_set(("a.yaml", CHILD)))

    assert result.files[0].errors[0]["message"] == (
        f"Team {team} already has a playbook at 'imported/set/gateway/gateway_login.yaml'"
    )


def test_the_command_line_without_a_user_does_not_honour_verified(team):
    result = playbook_import_set(
        team=team, actor=None, files=_set(("gateway/gateway_login.yaml", CHILD)), lenient=True
    )

    assert Playbook.objects.get().verified is False
    assert (
        result.files[0]
        .warnings[-1]["message"]
        .startswith("'verified: true' is not honoured: only an editor of")
    )


def test_a_single_import_honours_verified_in_the_yaml_for_an_editor(team, editor):
    result = playbook_import(team=team, actor=editor, content=CHILD, lenient=True)

    assert result.playbook.verified is True
    assert AuditEntry.objects.filter(action="playbook.verify").count() == 1


def test_namespaces_are_safe_relative_folders():
    assert namespace_of(None, "Ignition Playground!") == "imported/ignition_playground/"
    assert namespace_of("../../etc/", "x") == "etc/"
    assert namespace_of("/", "x") == ""
