"""Artifacts as one zip file (a run's, or a batch's with a folder per gateway), read through
the artifact store (this host's folder or the object store), never from the disk directly."""

import re
import shutil
import tempfile
import zipfile
from pathlib import PurePosixPath
from typing import BinaryIO

from apps.executions import batch_selectors
from apps.executions.artifact_files import artifact_open
from apps.executions.models import Batch, Execution
from apps.reports.run_report import run_masker

# Spooled in memory up to this size, then on disk: a run with many traces can be large.
SPOOL_BYTES = 16 * 1024 * 1024
UNSAFE_IN_FOLDER = re.compile(r"[^\w.\- ]+")


def artifacts_zip(execution: Execution) -> BinaryIO:
    """A zip of the run's stored files, each under its step's path (``run/`` for files of the
    run itself), rewound for reading. A file missing from the store is listed in
    ``MISSING.txt``. Raises ``ArtifactStoreError`` when the object store cannot be read."""
    return _zip([("", execution)])


def batch_artifacts_zip(batch: Batch) -> BinaryIO:
    """A zip with one folder per gateway holding its last run's files as ``artifacts_zip``
    lays them out (``<gateway>/<step path>/<file>``)."""
    runs, used = [], set()
    for row in batch_selectors.batch_rows(batch):
        folder = UNSAFE_IN_FOLDER.sub("_", row.gateway).strip(" .") or "gateway"
        if folder in used:
            folder = f"{folder}-{row.run.pk}"
        used.add(folder)
        runs.append((f"{folder}/", row.run))
    return _zip(runs)


def _zip(runs: list[tuple[str, Execution]]) -> BinaryIO:
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - returned open
    missing = []
    with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for prefix, execution in runs:
            mask = run_masker(execution).mask_text
            for artifact in execution.artifacts.select_related("step_run"):
                folder = artifact.step_run.path if artifact.step_run else "run"
                name = f"{prefix}{folder}/{mask(PurePosixPath(artifact.path).name)}"
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
