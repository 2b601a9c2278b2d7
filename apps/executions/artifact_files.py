"""The files of a run's artifacts, read only from inside ``ARTIFACTS_ROOT``."""

from pathlib import Path

from django.conf import settings

from apps.executions.models import Artifact

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


def artifact_text(artifact: Artifact | None, limit: int = PREVIEW_BYTES) -> str:
    """The start of a text artifact (``""`` when there is none or its file is missing)."""
    path = artifact_file(artifact) if artifact else None
    if path is None:
        return ""
    with path.open("rb") as handle:
        return handle.read(limit).decode("utf-8", errors="replace")
