"""Reads of the files library, scoped to the teams a user belongs to."""

from django.db.models import Count, Max, QuerySet

from apps.accounts.models import Team, User
from apps.accounts.selectors import scope_to_user
from apps.core.errors import NotFoundError
from apps.files.models import FileVersion, LibraryFile


def file_list_for_user(user: User) -> QuerySet[LibraryFile]:
    """The library files of the user's teams (admins: all), with their version count."""
    queryset = (
        LibraryFile.objects.select_related("team")
        .annotate(version_count=Count("versions"), last_uploaded_at=Max("versions__uploaded_at"))
        .order_by("name", "id")
    )
    return scope_to_user(queryset, user)


def file_get_for_user(user: User, file_id: int) -> LibraryFile:
    """One library file the user may see, or ``NotFoundError``."""
    try:
        return file_list_for_user(user).get(pk=file_id)
    except LibraryFile.DoesNotExist:
        raise NotFoundError(f"File {file_id} does not exist or is not in your teams.") from None


def version_get(library_file: LibraryFile, number: int | None) -> FileVersion:
    """Version ``number`` of the file, the latest when ``None``; else ``NotFoundError``."""
    versions = library_file.versions.select_related("uploaded_by")
    version = versions.first() if number is None else versions.filter(number=number).first()
    if version is None:
        raise NotFoundError(f"File {library_file.name!r} has no version {number}.")
    return version


def file_choices_for_team(team: Team) -> QuerySet[LibraryFile]:
    """The team's library files that have a version (what a run can use)."""
    return LibraryFile.objects.filter(team=team, versions__isnull=False).distinct()


def content_in_use(team_id: int, sha256: str) -> bool:
    """Whether a version of the team still holds the content ``sha256``."""
    return FileVersion.objects.filter(file__team_id=team_id, sha256=sha256).exists()
