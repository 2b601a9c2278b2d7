"""A ``file`` parameter on the Run dialog: a library file picked from a list, or a file
uploaded in place (stored into the library, then used). Either becomes the reference
``{"file": <id>}`` that a launch pins to a version."""

from django.conf import settings

from apps.accounts.models import Team, User
from apps.core.errors import ApplicationError
from apps.files.reference import is_reference
from apps.files.services import file_upload

PICK_SUFFIX = "-library"
UPLOAD_SUFFIX = "-upload"


def file_names(definitions: list[dict]) -> list[str]:
    return [d["name"] for d in definitions if d.get("type") == "file"]


def picked_files(data, definitions: list[dict], prefix: str) -> dict[str, dict]:
    """The library file chosen in each file parameter's list, as a reference."""
    picked = {}
    for name in file_names(definitions):
        chosen = data.get(prefix + name + PICK_SUFFIX, "")
        if chosen.isdigit():
            picked[name] = {"file": int(chosen)}
    return picked


def uploaded_files(
    files, definitions: list[dict], prefix: str, *, team: Team, actor: User
) -> tuple[dict[str, dict], list[str]]:
    """Store each file uploaded in place into ``team``'s library; its reference by parameter,
    and a problem (``'<parameter>': why``) for each upload refused."""
    references, problems = {}, []
    for name in file_names(definitions):
        upload = files.get(prefix + name + UPLOAD_SUFFIX)
        if upload is None:
            continue
        try:
            version = file_upload(team=team, actor=actor, upload=upload)
        except ApplicationError as exc:
            problems.append(f"'{name}': {exc.message}")
            continue
        references[name] = {"file": version.file_id, "version": version.number}
    return references, problems


def picker_field(name: str, value, files, data, prefix: str) -> dict:
    """What the Run dialog shows for file parameter ``name``: the library list (with the file
    picked, or the one ``value`` names) and whether the typed-path input is offered."""
    picked = data.get(prefix + name + PICK_SUFFIX, "") if data is not None else ""
    if not picked and is_reference(value):
        chosen = value["file"]
        picked = next((str(f.pk) for f in files if chosen in (f.pk, f.name)), "")
    return {
        "files": files,
        "picked": picked,
        "pick_name": prefix + name + PICK_SUFFIX,
        "upload_name": prefix + name + UPLOAD_SUFFIX,
        "typed_paths": bool(settings.WORKER_INPUT_DIRS),
    }
