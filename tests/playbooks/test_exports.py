import json

import pytest

from apps.accounts.models import AuditEntry
from apps.core.errors import ApplicationError
from apps.playbooks.services import playbook_export, playbook_import, playbook_update
from tests.playbooks.factories import PlaybookFactory, playbook_yaml

pytestmark = pytest.mark.django_db

WITH_DEFAULT = playbook_yaml("Login").replace(
    "    type: credential\n    required: false\n",
    "    type: credential\n    required: false\n    default: line1-gateway\n",
)


def test_yaml_export_is_the_stored_text(playbook, viewer):
    exported = playbook_export(playbook, actor=viewer)

    assert (exported.filename, exported.content_type) == ("check_gateway.yaml", "application/yaml")
    assert exported.content == playbook.current_version.yaml_text
    assert AuditEntry.objects.get().details == {"format": "yaml", "revision": 1}


def test_export_of_an_older_revision(playbook, editor):
    first = playbook.current_version.yaml_text
    playbook_update(playbook, actor=editor, yaml_text=playbook_yaml("Two"))

    assert playbook_export(playbook, actor=editor, revision=1).content == first


def test_json_export_strips_credential_defaults(team, editor, credential):
    playbook = PlaybookFactory(team=team, path="gateway/login.yaml", yaml_text=WITH_DEFAULT)

    exported = playbook_export(playbook, actor=editor, file_format="json")

    document = json.loads(exported.content)
    assert (exported.filename, exported.content_type) == ("login_export.json", "application/json")
    assert set(document) == {
        "name",
        "path",
        "version",
        "description",
        "domain",
        "yaml_content",
        "metadata",
    }
    assert "line1-gateway" not in document["yaml_content"]
    assert document["metadata"]["credentials_stripped"] is True
    assert (document["metadata"]["revision"], document["metadata"]["verified"]) == (1, False)


def test_json_export_without_credential_defaults_keeps_the_text(playbook, editor):
    document = json.loads(playbook_export(playbook, actor=editor, file_format="json").content)

    assert document["yaml_content"] == playbook.current_version.yaml_text


def test_json_round_trip(team, other_team, editor, admin_user):
    source = PlaybookFactory(team=team, path="gateway/login.yaml", yaml_text=WITH_DEFAULT)
    source.verified = True
    source.save()
    exported = playbook_export(source, actor=editor, file_format="json")

    copy = playbook_import(team=other_team, actor=admin_user, content=exported.content).playbook

    assert (copy.name, copy.path, copy.verified, copy.domain) == (
        "Login",
        "gateway/login.yaml",
        True,
        "gateway",
    )
    login = next(p for p in copy.current_version.parameters if p["name"] == "login")
    assert login["default"] is None


def test_yaml_round_trip(playbook, other_team, admin_user):
    exported = playbook_export(playbook, actor=admin_user)

    copy = playbook_import(team=other_team, actor=admin_user, content=exported.content).playbook

    assert copy.current_version.sha256 == playbook.current_version.sha256


def test_unknown_format(playbook, editor):
    with pytest.raises(ApplicationError, match="Unknown export format 'xml'; use yaml or json."):
        playbook_export(playbook, actor=editor, file_format="xml")
