"""The artifact store: Django's ``artifacts`` storage, this host's folder or an object store.

A stored artifact's key is ``<run id>/<file name>``: the recorder makes it from the run and a
sanitised name, never from user input, and readers refuse any other shape. Workers always
write into the run's working folder (``ARTIFACTS_ROOT/<run id>``), because steps read earlier
artifacts there as real files. When the store is that same folder (the single-machine default)
nothing more happens; with an object store, each file is uploaded as it is recorded (so the run
page shows it at once, from any web host) and the working folder is removed when the run ends.
"""

import logging
import os
import shutil
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage, storages

from apps.core.errors import ApplicationError

logger = logging.getLogger(__name__)
STORE_FAILURES = (BotoCoreError, ClientError, OSError)
MISSING_CODES = frozenset({"NoSuchKey", "404", "NotFound"})


class ArtifactStoreError(ApplicationError):
    status = 503


class LocalArtifactStorage(FileSystemStorage):
    """``ARTIFACTS_ROOT`` of this host, read each time (an install or a test may change it)."""

    @property
    def base_location(self) -> str:
        return str(settings.ARTIFACTS_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)


def artifact_storage() -> Storage:
    return storages["artifacts"]


def store_is_run_folder() -> bool:
    """Whether artifacts stay where the worker wrote them (no object store configured)."""
    return isinstance(artifact_storage(), LocalArtifactStorage)


def stored_key(execution_id, path: str) -> str | None:
    """``path`` if it is a key of run ``execution_id`` (``<run id>/<name>``), else ``None``."""
    parts = PurePosixPath(path).parts
    if len(parts) != 2 or parts[0] != str(execution_id) or parts[1] in (".", ".."):
        return None
    return path


def _store_failure(action: str, key: str, exc: Exception) -> ArtifactStoreError:
    return ArtifactStoreError(
        f"Could not {action} artifact {key} in the artifact store ({exc}). Check that the "
        "store named by ARTIFACTS_STORAGE_URL is reachable and its access key is valid."
    )


def artifact_upload(source: Path, key: str) -> None:
    """Copy the working folder's file ``source`` to the store as ``key`` (already there when
    the store is the run folder). A link is refused: only the run's own bytes leave it."""
    storage = artifact_storage()
    if isinstance(storage, LocalArtifactStorage):
        return
    if source.is_symlink() or not source.is_file():
        raise ArtifactStoreError(f"Artifact {key} is not a plain file of its run; not stored.")
    try:
        with source.open("rb") as handle:
            storage.save(key, File(handle, name=source.name))
    except STORE_FAILURES as exc:
        raise _store_failure("upload", key, exc) from exc


def object_stream(key: str) -> BinaryIO | None:
    """The stored bytes of ``key`` as a stream read from the object store (``None``: none)."""
    storage = artifact_storage()
    name = "/".join(part for part in (storage.location, key) if part)
    try:
        answer = storage.connection.meta.client.get_object(Bucket=storage.bucket_name, Key=name)
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in MISSING_CODES:
            return None
        raise _store_failure("read", key, exc) from exc
    except BotoCoreError as exc:
        raise _store_failure("read", key, exc) from exc
    return answer["Body"]


def run_folder_remove(execution_id) -> None:
    """Remove the finished run's working folder when its files live in an object store."""
    if store_is_run_folder():
        return
    shutil.rmtree(Path(settings.ARTIFACTS_ROOT) / str(execution_id), ignore_errors=True)


def artifacts_delete(execution_ids: list, paths: list[str]) -> None:
    """Delete the stored files of deleted runs: each run's own folder or key prefix, and the
    recorded paths that lie inside it. Failures are logged: the runs themselves are gone."""
    if store_is_run_folder():
        _remove_local(execution_ids, paths)
        return
    for execution_id in execution_ids:
        try:
            _remove_prefix(str(execution_id))
        except STORE_FAILURES as exc:
            logger.warning("Could not delete the stored artifacts of run %s: %s", execution_id, exc)


def _remove_prefix(prefix: str) -> None:
    storage = artifact_storage()
    _folders, names = storage.listdir(prefix)
    for name in names:
        storage.delete(f"{prefix}/{name}")


def _remove_local(execution_ids: list, paths: list[str]) -> None:
    """Only paths inside ``ARTIFACTS_ROOT`` (after following links), never the root itself."""
    root = Path(settings.ARTIFACTS_ROOT).resolve()
    candidates = [root / str(pk) for pk in execution_ids] + [root / path for path in paths]
    for path in (candidate.resolve() for candidate in candidates):
        if path == root or not path.is_relative_to(root):
            continue
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
