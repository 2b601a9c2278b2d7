"""Uploads make versions of a name, kept by content in the store; checks refuse bad files
with their reason and keep nothing; a file a schedule names cannot be deleted."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.core.errors import ConflictError, PermissionDeniedError
from apps.files.checks import FileRefusedError, FileTooLargeError
from apps.files.models import FileVersion, LibraryFile
from apps.files.services import file_delete, file_upload
from tests.files.helpers import modl, sha, uploaded
from tests.schedules.factories import ScheduleFactory

pytestmark = pytest.mark.django_db


def test_uploading_a_name_again_adds_a_version_and_the_latest_is_the_default(
    team, editor, operator, artifacts_here
):
    first = uploaded(team, editor, description="Demo module")
    second = uploaded(team, operator, data=modl("1.1.0"))

    library_file = LibraryFile.objects.get()
    assert (first.file, second.file) == (library_file, library_file)
    assert [v.number for v in library_file.versions.all()] == [2, 1]
    assert library_file.latest == second
    assert (second.size, second.sha256, second.uploaded_by) == (
        len(modl("1.1.0")),
        sha(modl("1.1.0")),
        operator,
    )
    assert library_file.description == "Demo module"
    stored = artifacts_here / "files" / str(team.pk) / second.sha256
    assert stored.read_bytes() == modl("1.1.0")


def test_same_content_is_stored_once(team, editor, artifacts_here):
    uploaded(team, editor, name="a.modl")
    uploaded(team, editor, name="b.modl")

    assert len(list((artifacts_here / "files" / str(team.pk)).iterdir())) == 1


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("tool.exe", b"MZ", r"Files named '\*\.exe' are not accepted; the library takes \.modl"),
        ("../up.modl", modl(), "must be a plain file name"),
        ("empty.txt", b"", "is empty"),
        ("fake.modl", b"not a zip", "'fake.modl' is not a zip archive"),
        ("README", b"text", "The name 'README' has no extension"),
    ],
)
def test_a_bad_upload_is_refused_with_its_reason_and_nothing_is_kept(
    team, editor, artifacts_here, name, data, message
):
    with pytest.raises(FileRefusedError, match=message):
        file_upload(team=team, actor=editor, upload=SimpleUploadedFile("upload", data), name=name)

    assert not LibraryFile.objects.exists()
    assert not (artifacts_here / "files").exists()


def test_a_file_over_the_limit_is_refused_naming_the_limit(team, editor, settings):
    settings.FILES_MAX_UPLOAD_MB = 1
    big = SimpleUploadedFile("big.txt", b"x" * (1024 * 1024 + 1))

    with pytest.raises(
        FileTooLargeError,
        match=r"1,048,577 bytes; the library accepts at most 1,048,576 bytes \(1 MB",
    ):
        file_upload(team=team, actor=editor, upload=big)

    assert not FileVersion.objects.exists()


def test_viewers_and_outsiders_do_not_upload(team, viewer, outsider):
    for user in (viewer, outsider):
        with pytest.raises(PermissionDeniedError, match="Only operators and editors"):
            uploaded(team, user)
    assert not LibraryFile.objects.exists()


def test_delete_removes_the_versions_and_their_content(team, editor, artifacts_here):
    version = uploaded(team, editor)
    kept = uploaded(team, editor, name="other.zip", data=modl("2.0.0"))

    file_delete(version.file, actor=editor)

    assert list(LibraryFile.objects.all()) == [kept.file]
    assert sorted(p.name for p in (artifacts_here / "files" / str(team.pk)).iterdir()) == [
        kept.sha256
    ]


def test_delete_needs_an_editor(team, editor, operator):
    version = uploaded(team, editor)

    with pytest.raises(PermissionDeniedError, match="Only editors"):
        file_delete(version.file, actor=operator)
    assert LibraryFile.objects.exists()


@pytest.mark.parametrize("named_by", ["id", "name"])
def test_a_file_a_schedule_names_is_not_deleted(team, editor, named_by):
    version = uploaded(team, editor)
    chosen = version.file.pk if named_by == "id" else version.file.name
    ScheduleFactory(
        playbook__team=team, name="Nightly install", parameters={"module_file": {"file": chosen}}
    )

    with pytest.raises(ConflictError, match="used by schedule\\(s\\) 'Nightly install'"):
        file_delete(version.file, actor=editor)
    assert LibraryFile.objects.filter(pk=version.file.pk).exists()
