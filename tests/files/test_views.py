"""The Files page: upload, a file's versions, download, delete; scoped to the user's teams,
viewers read and download only."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.files.models import LibraryFile
from tests.files.helpers import modl, uploaded
from tests.schedules.factories import ScheduleFactory

pytestmark = pytest.mark.django_db


def body(answer) -> bytes:
    return b"".join(answer.streaming_content)


def test_upload_through_the_page_then_a_new_version(client, team, operator):
    client.force_login(operator)

    first = client.post(
        "/files/upload/",
        {"file": SimpleUploadedFile("demo.modl", modl()), "description": "Demo module"},
    )
    second = client.post(
        "/files/upload/",
        {"file": SimpleUploadedFile("build-7.modl", modl("1.1.0")), "name": "demo.modl"},
    )

    library_file = LibraryFile.objects.get()
    assert first.status_code == second.status_code == 302
    assert second["Location"] == f"/files/{library_file.pk}/"
    page = client.get(f"/files/{library_file.pk}/").content.decode()
    assert "Demo module" in page
    assert 'id="version-2"' in page
    assert 'id="version-1"' in page
    listing = client.get("/files/").content.decode()
    assert "demo.modl" in listing


def test_a_refused_upload_shows_why(client, team, operator):
    client.force_login(operator)

    answer = client.post("/files/upload/", {"file": SimpleUploadedFile("fake.gwbk", b"nope")})

    assert answer.status_code == 422
    assert "&#x27;fake.gwbk&#x27; is not a zip archive" in answer.content.decode()
    assert not LibraryFile.objects.exists()


def test_download_the_latest_or_an_older_version(client, team, editor, viewer):
    version = uploaded(team, editor)
    uploaded(team, editor, data=modl("1.1.0"))
    client.force_login(viewer)

    latest = client.get(f"/files/{version.file_id}/download/")
    older = client.get(f"/files/{version.file_id}/download/?version=1")
    missing = client.get(f"/files/{version.file_id}/download/?version=9")

    assert body(latest) == modl("1.1.0")
    assert latest["Content-Disposition"] == 'attachment; filename="demo.modl"'
    assert body(older) == modl()
    assert missing.status_code == 404


def test_a_viewer_may_not_upload_or_delete(client, team, editor, viewer):
    version = uploaded(team, editor)
    client.force_login(viewer)

    page = client.get(f"/files/{version.file_id}/").content.decode()
    upload = client.post("/files/upload/", {"file": SimpleUploadedFile("x.zip", modl())})
    delete = client.post(f"/files/{version.file_id}/delete/")

    assert "Upload new version" not in page
    assert ">Delete<" not in page
    assert (upload.status_code, delete.status_code) == (403, 403)
    assert LibraryFile.objects.count() == 1


def test_another_teams_file_is_not_found(client, team, editor, outsider):
    version = uploaded(team, editor)
    client.force_login(outsider)

    for url in ("", "download/"):
        assert client.get(f"/files/{version.file_id}/{url}").status_code == 404
    assert client.post(f"/files/{version.file_id}/delete/").status_code == 404
    assert "demo.modl" not in client.get("/files/").content.decode()


def test_an_editor_deletes_a_file_unless_a_schedule_uses_it(client, team, editor):
    version, spare = uploaded(team, editor), uploaded(team, editor, name="spare.zip")
    ScheduleFactory(playbook__team=team, name="Nightly", parameters={"m": {"file": "demo.modl"}})
    client.force_login(editor)

    refused = client.post(f"/files/{version.file_id}/delete/", follow=True)
    deleted = client.post(f"/files/{spare.file_id}/delete/")

    assert "used by schedule(s) &#x27;Nightly&#x27;" in refused.content.decode()
    assert deleted.status_code == 302
    assert list(LibraryFile.objects.values_list("name", flat=True)) == ["demo.modl"]
