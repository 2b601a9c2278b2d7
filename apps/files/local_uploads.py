"""``run_playbook --param module_file=@./x.modl``: a local file, uploaded into the playbook's
team library (as a new version of its name) and used by the run."""

from pathlib import Path

from django.core.files import File

from apps.accounts.models import User
from apps.core.errors import ApplicationError
from apps.files.services import file_upload
from apps.playbooks.models import Playbook

MARK = "@"


def local_files_upload(playbook: Playbook, values: dict, actor: User) -> dict:
    """``values`` with each ``@PATH`` given to a file parameter replaced by the reference of
    that file, uploaded into the team's library."""
    declared = playbook.current_version.parameters if playbook.current_version else []
    files = {d["name"] for d in declared if d.get("type") == "file"}
    uploaded = dict(values)
    for name, value in values.items():
        if name in files and isinstance(value, str) and value.startswith(MARK):
            version = _upload(playbook, name, Path(value[len(MARK) :]).expanduser(), actor)
            uploaded[name] = {"file": version.file_id, "version": version.number}
    return uploaded


def _upload(playbook: Playbook, name: str, path: Path, actor: User):
    if not path.is_file():
        raise ApplicationError(f"--param {name}=@{path}: no such file here.")
    with path.open("rb") as handle:
        try:
            return file_upload(team=playbook.team, actor=actor, upload=File(handle, path.name))
        except ApplicationError as exc:
            raise ApplicationError(f"--param {name}=@{path}: {exc.message}") from None
