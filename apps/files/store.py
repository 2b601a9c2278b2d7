"""The bytes of library files, in the artifact store (this host's data folder or an object
store) under ``files/<team id>/<sha256>``: every web and worker host reaches them."""

import hashlib
from pathlib import Path
from typing import BinaryIO

from django.core.files import File

from apps.executions.artifact_store import STORE_FAILURES, ArtifactStoreError, artifact_storage

CHUNK_BYTES = 1024 * 1024


def content_key(team_id: int, sha256: str) -> str:
    return f"files/{team_id}/{sha256}"


def content_digest(upload) -> str:
    """The sha256 of the upload's bytes (read in chunks; the upload is rewound after)."""
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks(CHUNK_BYTES):
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _failure(action: str, key: str, exc: Exception) -> ArtifactStoreError:
    return ArtifactStoreError(
        f"Could not {action} library file content {key} in the artifact store ({exc}). Check "
        "that the store named by ARTIFACTS_STORAGE_URL is reachable and its access key is valid."
    )


def content_save(key: str, upload) -> None:
    """Store the upload as ``key`` unless the same content is already there."""
    storage = artifact_storage()
    try:
        if storage.exists(key):
            return
        upload.seek(0)
        saved = storage.save(key, File(upload, name=Path(key).name))
    except STORE_FAILURES as exc:
        raise _failure("store", key, exc) from exc
    if saved != key:
        storage.delete(saved)
        raise ArtifactStoreError(f"The artifact store kept {key} as {saved}; nothing was kept.")


def content_open(key: str) -> BinaryIO:
    """A stream of the stored bytes of ``key``; ``ArtifactStoreError`` when missing or failing."""
    storage = artifact_storage()
    try:
        return storage.open(key, "rb")
    except FileNotFoundError:
        raise ArtifactStoreError(f"The content {key} is missing from the artifact store.") from None
    except STORE_FAILURES as exc:
        raise _failure("read", key, exc) from exc


def content_delete(key: str) -> None:
    storage = artifact_storage()
    try:
        storage.delete(key)
    except STORE_FAILURES as exc:
        raise _failure("delete", key, exc) from exc
