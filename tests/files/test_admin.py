"""The admin lists library files with their versions; deleting goes through the service."""

import pytest

from apps.files.models import LibraryFile
from tests.files.helpers import uploaded
from tests.schedules.factories import ScheduleFactory

pytestmark = pytest.mark.django_db


def test_admin_shows_versions_and_deletes_through_the_service(client, team, editor, admin_user):
    kept, gone = uploaded(team, editor), uploaded(team, editor, name="old.zip")
    ScheduleFactory(playbook__team=team, name="Nightly", parameters={"m": {"file": kept.file_id}})
    admin_user.is_staff = True
    admin_user.save(update_fields=["is_staff"])
    client.force_login(admin_user)

    page = client.get(f"/admin/files/libraryfile/{kept.file_id}/change/").content.decode()
    refused = client.post(
        f"/admin/files/libraryfile/{kept.file_id}/delete/", {"post": "yes"}, follow=True
    )
    client.post(f"/admin/files/libraryfile/{gone.file_id}/delete/", {"post": "yes"})

    assert kept.sha256 in page
    assert "used by schedule(s) &#x27;Nightly&#x27;" in refused.content.decode()
    assert list(LibraryFile.objects.values_list("name", flat=True)) == ["demo.modl"]
