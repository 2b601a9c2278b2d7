import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from apps.playbooks.models import Playbook, PlaybookVersion
from apps.playbooks.services import playbook_update
from tests.playbooks.factories import PlaybookFactory, playbook_yaml

pytestmark = pytest.mark.django_db

URL = "/api/v1/playbooks/"


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_list(playbook, viewer):
    response = client_for(viewer).get(URL)

    assert response.status_code == 200
    [item] = response.json()["results"]
    assert {k: item[k] for k in ("id", "path", "name", "revision", "origin", "is_builtin")} == {
        "id": playbook.pk,
        "path": "gateway/check_gateway.yaml",
        "name": "Check gateway",
        "revision": 1,
        "origin": "user",
        "is_builtin": False,
    }


def test_list_query_count_does_not_grow(team, viewer, django_assert_num_queries):
    PlaybookFactory.create_batch(6, team=team)
    client = client_for(viewer)

    with django_assert_num_queries(3):
        response = client.get(URL)

    assert len(response.json()["results"]) == 6


def test_list_filters_and_search(team, viewer):
    PlaybookFactory(team=team, name="Login", path="gateway/login.yaml", enabled=False)
    PlaybookFactory(team=team, name="Restart", path="gateway/restart.yaml")

    disabled = client_for(viewer).get(URL, {"enabled": "false"}).json()["results"]
    searched = client_for(viewer).get(URL, {"search": "rest"}).json()["results"]
    bad = client_for(viewer).get(URL, {"origin": "alien"})

    assert [p["name"] for p in disabled] == ["Login"]
    assert [p["name"] for p in searched] == ["Restart"]
    assert bad.status_code == 400


def test_access_triad(playbook, outsider):
    detail = f"{URL}{playbook.pk}/"

    assert client_for(outsider).get(URL).json()["results"] == []
    assert client_for(outsider).get(detail).status_code == 404
    assert client_for(outsider).put(detail, {"yaml_text": "x"}, format="json").status_code == 404
    assert client_for(outsider).delete(detail).status_code == 404
    assert client_for().get(detail).status_code == 403
    assert client_for().delete(detail).status_code == 403
    assert client_for().post(f"{URL}{playbook.pk}/verify/", {"verified": True}).status_code == 403
    assert Playbook.objects.get().verified is False
    assert PlaybookVersion.objects.count() == 1


def test_detail_includes_yaml_and_parameters(playbook, viewer):
    body = client_for(viewer).get(f"{URL}{playbook.pk}/").json()

    assert body["yaml_text"] == playbook.current_version.yaml_text
    assert [p["name"] for p in body["parameters"]] == ["gateway_url", "login", "retries"]


def test_create_from_template(team, editor):
    response = client_for(editor).post(URL, {"name": "My Check", "domain": "designer"})

    assert response.status_code == 201
    assert (response.json()["path"], response.json()["revision"]) == ("designer/my_check.yaml", 1)


def test_import_file_upload(team, editor):
    upload = SimpleUploadedFile("restart.yaml", playbook_yaml("Restart").encode())

    response = client_for(editor).post(f"{URL}import/", {"file": upload}, format="multipart")

    assert response.status_code == 201
    assert response.json()["playbook"]["path"] == "gateway/restart.yaml"
    assert response.json()["warnings"] == []
    assert PlaybookVersion.objects.get().change_note == "Imported from restart.yaml"


def test_import_lenient_returns_warnings(team, editor):
    content = playbook_yaml("Old", extra="\n      wait_for: load")

    response = client_for(editor).post(
        f"{URL}import/", {"content": content, "lenient": True}, format="json"
    )

    assert response.status_code == 201
    [warning] = response.json()["warnings"]
    assert (warning["step_id"], warning["key"], warning["severity"]) == (
        "hello",
        "parameters.wait_for",
        "warning",
    )


def test_import_invalid_yaml_answers_the_issues(team, editor):
    content = playbook_yaml("Bad", extra="\n      timeout: 5")

    response = client_for(editor).post(
        f"{URL}import/", {"content": content, "filename": "bad.yaml"}, format="json"
    )

    assert response.status_code == 400
    [issue] = response.json()["issues"]
    assert set(issue) == {"message", "file", "line", "column", "step_id", "key", "hint", "severity"}
    assert (issue["file"], issue["line"], issue["step_id"], issue["key"]) == (
        "bad.yaml",
        22,
        "hello",
        "parameters.timeout",
    )
    assert Playbook.objects.count() == 0


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({}, "Send a 'file' upload or the 'content' text."),
        ({"file": SimpleUploadedFile("x.yaml", b"\xff\xfe")}, "The file is not UTF-8 text."),
    ],
)
def test_import_needs_text(team, editor, payload, message):
    response = client_for(editor).post(f"{URL}import/", payload, format="multipart")

    assert response.status_code == 400
    assert message in json.dumps(response.json())


def test_import_refuses_big_files(team, editor, monkeypatch):
    from apps.playbooks.api import serializers

    monkeypatch.setattr(serializers, "MAX_YAML_CHARACTERS", 10)
    upload = SimpleUploadedFile("big.yaml", b"x" * 11)

    response = client_for(editor).post(f"{URL}import/", {"file": upload}, format="multipart")

    assert response.json() == {"file": ["The file is larger than 1 MB."]}


def test_export_yaml_and_json(playbook, viewer):
    as_yaml = client_for(viewer).get(f"{URL}{playbook.pk}/export/")
    as_json = client_for(viewer).get(f"{URL}{playbook.pk}/export/", {"file_format": "json"})

    assert as_yaml["Content-Type"] == "application/yaml"
    assert as_yaml["Content-Disposition"] == 'attachment; filename="check_gateway.yaml"'
    assert as_yaml.content.decode() == playbook.current_version.yaml_text
    assert json.loads(as_json.content)["path"] == "gateway/check_gateway.yaml"


def test_export_of_a_missing_revision(playbook, viewer):
    response = client_for(viewer).get(f"{URL}{playbook.pk}/export/", {"revision": 7})

    assert (response.status_code, response.json()) == (
        404,
        {"detail": "Check gateway has no revision 7."},
    )


def test_update_yaml(playbook, editor):
    response = client_for(editor).put(
        f"{URL}{playbook.pk}/",
        {"yaml_text": playbook_yaml("New"), "change_note": "why", "base_revision": 1},
        format="json",
    )

    assert response.status_code == 200
    assert (response.json()["name"], response.json()["revision"]) == ("New", 2)


def test_update_conflict_is_409(playbook, editor):
    playbook_update(playbook, actor=editor, yaml_text=playbook_yaml("Two"))

    response = client_for(editor).put(
        f"{URL}{playbook.pk}/",
        {"yaml_text": playbook_yaml("Three"), "base_revision": 1},
        format="json",
    )

    assert response.status_code == 409
    assert playbook.versions.count() == 2


def test_edit_one_step(playbook, editor):
    step = {"name": "Changed", "type": "utility.log", "parameters": {"message": "x"}}

    response = client_for(editor).put(
        f"{URL}{playbook.pk}/steps/hello/", {"step": step}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["revision"] == 2


@pytest.mark.parametrize("persona", ["viewer", "operator"])
def test_readers_cannot_write(request, playbook, persona):
    client = client_for(request.getfixturevalue(persona))
    detail = f"{URL}{playbook.pk}/"

    statuses = [
        client.post(URL, {"name": "x"}).status_code,
        client.post(f"{URL}import/", {"content": playbook_yaml("Y")}).status_code,
        client.put(detail, {"yaml_text": playbook_yaml("Z")}, format="json").status_code,
        client.post(f"{detail}duplicate/").status_code,
        client.post(f"{detail}restore/", {"revision": 1}).status_code,
        client.post(f"{detail}verify/", {"verified": True}).status_code,
        client.post(f"{detail}enable/", {"enabled": False}).status_code,
        client.delete(detail).status_code,
    ]

    assert statuses == [403] * 8
    assert list(Playbook.objects.values_list("name", "enabled", "verified")) == [
        ("Check gateway", True, False)
    ]
    assert PlaybookVersion.objects.count() == 1


def test_duplicate(playbook, editor):
    response = client_for(editor).post(f"{URL}{playbook.pk}/duplicate/", {"name": "Mine"})

    assert response.status_code == 201
    assert response.json()["path"] == "gateway/mine.yaml"
    assert response.json()["duplicated_from"] == playbook.pk


def test_versions_diff_and_restore(playbook, editor, django_assert_num_queries):
    playbook_update(playbook, actor=editor, yaml_text=playbook_yaml(message="Bye"), change_note="n")
    client = client_for(editor)

    # playbook, count, page (roles are already cached on the user by the update above)
    with django_assert_num_queries(3):
        versions = client.get(f"{URL}{playbook.pk}/versions/").json()["results"]
    diff = client.get(f"{URL}{playbook.pk}/diff/", {"from_revision": 1}).json()
    restored = client.post(f"{URL}{playbook.pk}/restore/", {"revision": 1}).json()

    assert [(v["revision"], v["author"], v["change_note"]) for v in versions] == [
        (2, "erin-editor", "n"),
        (1, None, ""),
    ]
    assert (diff["from_revision"], diff["to_revision"]) == (1, 2)
    assert '+      message: "Bye {{ parameter.gateway_url }}"\n' in diff["diff"]
    assert restored["revision"] == 3


def test_verify_and_enable(playbook, editor):
    verified = client_for(editor).post(f"{URL}{playbook.pk}/verify/", {"verified": True}).json()
    disabled = client_for(editor).post(f"{URL}{playbook.pk}/enable/", {"enabled": False}).json()

    assert (verified["verified"], verified["verified_by"]) == (True, "erin-editor")
    assert disabled["enabled"] is False


def test_delete(playbook, builtin_playbook, editor):
    refused = client_for(editor).delete(f"{URL}{builtin_playbook.pk}/")
    deleted = client_for(editor).delete(f"{URL}{playbook.pk}/")

    assert (refused.status_code, deleted.status_code) == (409, 204)
    assert list(Playbook.objects.all()) == [builtin_playbook]


def test_step_types(viewer, django_assert_num_queries):
    client = client_for(viewer)

    with django_assert_num_queries(0):
        response = client.get("/api/v1/step-types")

    body = response.json()
    ids = [item["id"] for item in body["step_types"]]
    assert response.status_code == 200
    assert "utility.log" in ids
    assert ids == sorted(ids)
    assert set(body["families"]) >= {"gateway", "browser", "utility", "playbook"}
    assert client_for().get("/api/v1/step-types").status_code == 403
