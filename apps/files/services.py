"""Every write to the files library: upload (a new file or a new version) and delete."""

from django.db import transaction
from django.db.models import Max

from apps.accounts.models import Team, User
from apps.accounts.roles import Role
from apps.accounts.services import audit_record
from apps.core.errors import ConflictError, PermissionDeniedError
from apps.credentials.access import require_team_role, user_holds_team_role
from apps.files import checks, store
from apps.files.models import FileVersion, LibraryFile
from apps.files.references import schedules_using
from apps.files.selectors import content_in_use


def user_may_upload(actor: User, team: Team) -> bool:
    """Operators (who run with files) and editors of the team upload; viewers only read."""
    return any(user_holds_team_role(actor, team, role) for role in (Role.OPERATOR, Role.EDITOR))


def file_upload(
    *, team: Team, actor: User, upload, name: str = "", description: str = ""
) -> FileVersion:
    """Store ``upload`` as the next version of ``name`` (the upload's own name when empty).

    The first upload of a name creates the library file; a description given replaces the
    file's. Nothing is kept when a check refuses the upload.
    """
    if not user_may_upload(actor, team):
        raise PermissionDeniedError(f"Only operators and editors of {team} may upload files.")
    name = checks.name_check(name or getattr(upload, "name", ""))
    checks.content_check(name, upload)
    sha256 = store.content_digest(upload)
    store.content_save(store.content_key(team.pk, sha256), upload)
    return _version_record(team, actor, name, description.strip(), upload.size, sha256)


@transaction.atomic
def _version_record(
    team: Team, actor: User, name: str, description: str, size: int, sha256: str
) -> FileVersion:
    library_file, created = LibraryFile.objects.select_for_update().get_or_create(
        team=team, name=name, defaults={"description": description}
    )
    if description and not created and description != library_file.description:
        library_file.description = description
        library_file.save(update_fields=["description", "updated_at"])
    last = library_file.versions.aggregate(last=Max("number"))["last"] or 0
    version = FileVersion.objects.create(
        file=library_file, number=last + 1, size=size, sha256=sha256, uploaded_by=actor
    )
    details = {"name": name, "version": version.number, "sha256": sha256, "size": size}
    audit_record(actor, "file.upload", target=library_file, details=details)
    return version


def file_delete(library_file: LibraryFile, *, actor: User) -> None:
    """Delete the file with all its versions, unless a schedule's parameters still name it;
    contents no other version of the team holds leave the store."""
    require_team_role(actor, library_file.team, Role.EDITOR, what="delete files")
    using = schedules_using(library_file)
    if using:
        names = ", ".join(f"'{schedule.name}'" for schedule in using)
        raise ConflictError(
            f"File {library_file.name!r} is used by schedule(s) {names}: change their "
            "parameters to another file first, then delete it."
        )
    team_id, digests = (
        library_file.team_id,
        set(library_file.versions.values_list("sha256", flat=True)),
    )
    with transaction.atomic():
        audit_record(actor, "file.delete", target=library_file, details={"name": library_file.name})
        library_file.delete()
    for sha256 in digests:
        if not content_in_use(team_id, sha256):
            store.content_delete(store.content_key(team_id, sha256))
