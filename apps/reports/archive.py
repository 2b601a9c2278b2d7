"""A run's artifacts as one zip file, read through the artifact store (this host's folder or
the object store), never from the disk directly."""

import shutil
import tempfile
import zipfile
from pathlib import PurePosixPath
from typing import BinaryIO

from apps.executions.artifact_files import artifact_open
from apps.executions.models import Execution

# Spooled in memory up to this size, then on disk: a run with many traces can be large.
SPOOL_BYTES = 16 * 1024 * 1024


def artifacts_zip(execution: Execution) -> BinaryIO:
    """A zip of the run's stored files, each under its step's path (``run/`` for files of the
    run itself), rewound for reading. A file missing from the store is listed in
    ``MISSING.txt``. Raises ``ArtifactStoreError`` when the object store cannot be read."""
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - returned open
    missing = []
    with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for artifact in execution.artifacts.select_related("step_run"):
            folder = artifact.step_run.path if artifact.step_run else "run"
            name = f"{folder}/{PurePosixPath(artifact.path).name}"
            stream = artifact_open(artifact)
            if stream is None:
                missing.append(name)
                continue
            with stream, archive.open(name, "w", force_zip64=True) as target:
                shutil.copyfileobj(stream, target)
        if missing:
            archive.writestr(
                "MISSING.txt", "Missing from the artifact store:\n" + "\n".join(missing)
            )
    spool.seek(0)
    return spool
