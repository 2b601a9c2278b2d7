"""/api/v1/files/: multipart upload (a new name or a new version), list, detail with versions,
download, delete; a file parameter of a launch names a library file as {"file": id or name}."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from apps.files.models import LibraryFile
from tests.executions.factories import playbook
from tests.files.helpers import PARAMETERS, STEP, modl, sha, uploaded

pytestmark = pytest.mark.django_db


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def upload(api, filename="demo.modl", data=None, **fields):
    content = modl() if data is None else data
    body = {"file": SimpleUploadedFile(filename, content), **fields}
    return api.post("/api/v1/files/", body, format="multipart")


def test_upload_list_detail_and_versions(team, operator):
    api = api_for(operator)

    first = upload(api, description="Demo module")
    second = upload(api, "build-7.modl", modl("1.1.0"), name="demo.modl")

    assert first.status_code == second.status_code == 201
    file_id = first.json()["file"]["id"]
    assert second.json()["file"]["id"] == file_id
    assert second.json()["version"] | {"uploaded_at": None} == {
        "number": 2,
        "size": len(modl("1.1.0")),
        "sha256": sha(modl("1.1.0")),
        "uploaded_by": operator.username,
        "uploaded_at": None,
    }
    listed = api.get("/api/v1/files/").json()["results"]
    assert [(f["name"], f["version_count"], f["latest"]["number"]) for f in listed] == [
        ("demo.modl", 2, 2)
    ]
    detail = api.get(f"/api/v1/files/{file_id}/").json()
    assert detail["description"] == "Demo module"
    assert [v["number"] for v in detail["versions"]] == [2, 1]


def test_download_a_version(team, editor, viewer):
    version = uploaded(team, editor)
    uploaded(team, editor, data=modl("1.1.0"))
    api = api_for(viewer)

    older = api.get(f"/api/v1/files/{version.file_id}/download/?version=1")
    latest = api.get(f"/api/v1/files/{version.file_id}/download/")

    assert b"".join(older.streaming_content) == modl()
    assert b"".join(latest.streaming_content) == modl("1.1.0")
    assert api.get(f"/api/v1/files/{version.file_id}/download/?version=5").status_code == 404


def test_bad_uploads_get_specific_errors(team, operator, settings):
    settings.FILES_MAX_UPLOAD_MB = 1
    api = api_for(operator)

    too_large = upload(api, "big.zip", b"PK" + b"x" * (1024 * 1024))
    wrong_kind = upload(api, "notes.exe", b"MZ")
    as_json = api.post("/api/v1/files/", {"name": "x.modl"}, format="json")

    assert too_large.status_code == 413
    assert too_large.json()["limit_bytes"] == 1024 * 1024
    assert "FILES_MAX_UPLOAD_MB" in too_large.json()["detail"]
    assert wrong_kind.status_code == 400
    assert "Files named '*.exe' are not accepted" in wrong_kind.json()["detail"]
    assert as_json.status_code == 415
    assert not LibraryFile.objects.exists()


def test_roles_and_teams(team, editor, viewer, outsider):
    version = uploaded(team, editor)

    assert upload(api_for(viewer)).status_code == 403
    assert api_for(viewer).delete(f"/api/v1/files/{version.file_id}/").status_code == 403
    assert api_for(outsider).get(f"/api/v1/files/{version.file_id}/").status_code == 404
    assert api_for(outsider).get(f"/api/v1/files/{version.file_id}/download/").status_code == 404
    assert api_for(outsider).get("/api/v1/files/").json()["results"] == []
    assert api_for(editor).delete(f"/api/v1/files/{version.file_id}/").status_code == 204
    assert not LibraryFile.objects.exists()


def test_a_launch_names_a_library_file_by_id_or_name(team, editor, operator, other_team, outsider):
    book = playbook(team, STEP, parameters=PARAMETERS)
    mine = uploaded(team, editor)
    outsider.groups.add(*editor.groups.all())
    theirs = uploaded(other_team, outsider)
    api = api_for(operator)

    def launch(value):
        body = {"playbook": book.pk, "parameters": {"module_file": value}}
        return api.post("/api/v1/executions/", body, format="json")

    by_id, by_name = launch({"file": mine.file_id}), launch({"file": "demo.modl"})
    unknown, foreign = launch({"file": 999999}), launch({"file": theirs.file_id})

    assert by_id.status_code == by_name.status_code == 201
    assert by_id.json()["parameters"] == {"module_file": {"file": mine.file_id, "version": 1}}
    assert by_name.json()["parameters"] == by_id.json()["parameters"]
    assert (unknown.status_code, foreign.status_code) == (400, 400)
    assert unknown.json()["problems"] == ["'module_file': no library file 999999"]
    assert foreign.json()["problems"] == [
        f"'module_file': library file {theirs.file_id} belongs to another team; choose a file "
        f"of {team}"
    ]
