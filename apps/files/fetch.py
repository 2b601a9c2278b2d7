"""The worker's side: before the first step, each library file a run's parameters name is
copied from the store into the run's own folder (``inputs/<parameter>/<file name>``), checked
against its sha256, and the parameter becomes that relative name. Steps then read it as any
other file of their run; nothing outside the run's folder is reached."""

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from apps.core.errors import ApplicationError
from apps.executions.artifact_store import ArtifactStoreError
from apps.files.models import FileVersion
from apps.files.reference import is_reference
from apps.files.store import CHUNK_BYTES, content_key, content_open

INPUTS_FOLDER = "inputs"


class LibraryInputError(ApplicationError):
    """A library file of the run could not be put into its folder; the run fails with this."""


def library_inputs_fetch(
    execution,
    definitions: list[dict],
    parameters: dict[str, Any],
    run_folder: Path,
    log: Callable[[str, str], None],
) -> dict[str, Any]:
    """``parameters`` with each pinned library reference of a ``file`` parameter replaced by
    the relative name of its copy in ``run_folder``."""
    kinds = {definition["name"]: definition.get("type") for definition in definitions}
    fetched = dict(parameters)
    for name, value in parameters.items():
        if kinds.get(name) == "file" and is_reference(value):
            version = _version(execution, name, value)
            relative = f"{INPUTS_FOLDER}/{name}/{version.file.name}"
            _copy(version, Path(run_folder) / relative)
            log(
                "info",
                f"Library file {version.file.name!r} version {version.number} (sha256 "
                f"{version.sha256}) fetched into the run folder as {relative}.",
            )
            fetched[name] = relative
    return fetched


def _version(execution, name: str, value: dict) -> FileVersion:
    version = (
        FileVersion.objects.select_related("file")
        .filter(file_id=value["file"], number=value.get("version"), file__team_id=execution.team_id)
        .first()
    )
    if version is None:
        raise LibraryInputError(
            f"'{name}': library file {value['file']} version {value.get('version')} is no "
            "longer in the team's library (deleted after the run was launched)."
        )
    return version


def _copy(version: FileVersion, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    try:
        key = content_key(version.file.team_id, version.sha256)
        with content_open(key) as source, target.open("wb") as out:
            while chunk := source.read(CHUNK_BYTES):
                digest.update(chunk)
                out.write(chunk)
    except ArtifactStoreError as exc:
        raise LibraryInputError(
            f"Library file {version.file.name!r} version {version.number}: {exc.message}"
        ) from None
    if digest.hexdigest() != version.sha256:
        target.unlink(missing_ok=True)
        raise LibraryInputError(
            f"Library file {version.file.name!r} version {version.number} read from the store "
            f"has sha256 {digest.hexdigest()}, not the uploaded {version.sha256}: the stored "
            "content was changed or damaged. Upload the file again."
        )
