"""The Playbooks page's set import: preview the changes, then import; access triad."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.playbooks.models import Playbook
from tests.playbooks.test_import_sets import CHILD, PARENT
from tests.playbooks.test_views import HTMX, logged_in

pytestmark = pytest.mark.django_db
URL = "/playbooks/import-set/"


def _zip() -> SimpleUploadedFile:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("old/playbooks/gateway/gateway_login.yaml", CHILD)
        z.writestr("old/playbooks/gateway/backup.yaml", PARENT)
    return SimpleUploadedFile("old.zip", archive.getvalue())


def test_the_list_offers_the_set_import(client, team, editor):
    body = logged_in(client, editor).get("/playbooks/").content.decode()

    assert 'id="import-set-form"' in body
    assert 'name="files"' in body
    assert "multiple" in body


def test_preview_shows_every_change_and_saves_nothing(client, team, editor):
    data = {"files": [_zip()], "lenient": "on", "preview": "1"}

    response = logged_in(client, editor).post(URL, data, **HTMX)

    body = response.content.decode()
    assert response.status_code == 200
    assert "Preview: nothing is saved yet." in body
    assert "imported/old/gateway/backup.yaml" in body
    assert "&#x27;timeout: 30&#x27; read as seconds" in body
    assert "is this set&#x27;s file" in body
    assert "timeout: 30}</span>" in body
    assert '<span class="diff-line diff-added">+    timeout: 30000</span>' in body
    assert not Playbook.objects.exists()


def test_import_saves_the_set_and_goes_to_the_list(client, team, editor):
    data = {"files": [_zip()], "lenient": "on", "namespace": "migrated"}

    response = logged_in(client, editor).post(URL, data, **HTMX)

    assert response.status_code == 204
    assert response["HX-Redirect"] == "/playbooks/"
    assert sorted(Playbook.objects.values_list("path", flat=True)) == [
        "migrated/gateway/backup.yaml",
        "migrated/gateway/gateway_login.yaml",
    ]


def test_strict_import_shows_the_refusals(client, team, editor):
    response = logged_in(client, editor).post(URL, {"files": [_zip()]}, **HTMX)

    assert response.status_code == 422
    assert "is 30 milliseconds" in response.content.decode()
    assert not Playbook.objects.exists()


def test_viewers_and_other_teams_cannot_import(client, team, viewer, outsider):
    refused = logged_in(client, viewer).post(
        URL, {"files": [_zip()], "lenient": "on", "team": team.pk}
    )
    client.logout()
    other = logged_in(client, outsider).post(
        URL, {"files": [_zip()], "lenient": "on", "team": team.pk}
    )
    client.logout()
    anonymous = client.post(URL, {"files": [_zip()]})

    assert refused.status_code in (302, 403)
    assert other.status_code == 422
    assert anonymous.status_code == 302
    assert not Playbook.objects.exists()


def test_the_api_imports_a_set_and_answers_each_file(client, team, editor, other_team):
    client.force_login(editor)
    api = "/api/v1/playbooks/import-set/"
    preview = client.post(api, {"files": [_zip()], "lenient": "true", "dry_run": "true"})
    done = client.post(api, {"files": [_zip()], "lenient": "true"})
    strict = client.post(api, {"files": [_zip()], "namespace": "strict"})
    other = client.post(api, {"files": [_zip()], "team": other_team.pk, "lenient": "true"})

    assert preview.status_code == 200
    assert [f["result"] for f in preview.json()["files"]] == ["valid", "valid"]
    assert "+    timeout: 30000\n" in preview.json()["files"][0]["diff"]
    assert done.status_code == 201
    body = done.json()
    assert body["namespace"] == "imported/old/"
    assert body["files"][1]["warnings"][0]["message"].startswith("'gateway/gateway_login.yaml'")
    assert strict.status_code == 422
    assert strict.json()["files"][0]["errors"][0]["line"] == 8
    assert other.status_code == 404
    assert Playbook.objects.count() == 2
