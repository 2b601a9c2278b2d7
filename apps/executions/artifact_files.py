"""The files of a run's artifacts, read only from their own run's place in the store."""

import logging
from pathlib import Path
from typing import BinaryIO

from django.conf import settings

from apps.executions.artifact_store import (
    ArtifactStoreError,
    object_stream,
    store_is_run_folder,
    stored_key,
)
from apps.executions.models import Artifact

logger = logging.getLogger(__name__)
PREVIEW_BYTES = 200_000


def artifact_file(artifact: Artifact) -> Path | None:
    """The artifact's file if it lies inside its own run's folder of ``ARTIFACTS_ROOT``.

    No traversal and no symlink out: a step that can write in its run folder (a Python step,
    say) cannot turn one of its artifacts into a link to another run's files or the data folder.
    """
    root = Path(settings.ARTIFACTS_ROOT).resolve()
    folder = root / str(artifact.execution_id)
    path = (root / artifact.path).resolve()
    if not path.is_relative_to(folder) or not path.is_file():
        return None
    return path


def artifact_open(artifact: Artifact) -> BinaryIO | None:
    """The artifact's stored bytes as a stream (``None`` when it has none in its run's place).

    Raises ``ArtifactStoreError`` when the object store cannot be read.
    """
    key = stored_key(artifact.execution_id, artifact.path)
    if key is None:
        return None
    if store_is_run_folder():
        path = artifact_file(artifact)
        return path.open("rb") if path else None
    return object_stream(key)


def artifact_text(artifact: Artifact | None, limit: int = PREVIEW_BYTES) -> str:
    """The start of a text artifact (``""`` when there is none or its file is missing)."""
    return artifact_head(artifact, limit).decode("utf-8", errors="replace")


def artifact_head(artifact: Artifact | None, limit: int) -> bytes:
    """The first ``limit`` bytes of an artifact's file (``b""`` when there is none, its file is
    missing or the store cannot be read: that is logged)."""
    try:
        stream = artifact_open(artifact) if artifact else None
    except ArtifactStoreError as exc:
        logger.warning("%s", exc.message)
        return b""
    if stream is None:
        return b""
    with stream:
        return stream.read(limit)
