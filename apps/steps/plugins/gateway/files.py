"""Downloads into artifacts of the run: a partial file in the run's folder, then stored."""

import contextlib
import os
import tempfile
from pathlib import Path


def partial_file(context) -> Path:
    folder = Path(context.artifacts_dir)
    folder.mkdir(parents=True, exist_ok=True)
    descriptor, name = tempfile.mkstemp(dir=folder, prefix=".gateway-", suffix=".part")
    os.close(descriptor)
    return Path(name)


@contextlib.contextmanager
def downloading(context):
    """Yield a temporary path; removed when the step fails before storing it."""
    path = partial_file(context)
    try:
        yield path
    finally:
        path.unlink(missing_ok=True)


def store(context, path: Path, name: str, content_type: str) -> dict:
    """Store ``path`` as a ``download`` artifact; outputs ``artifact`` and ``size_bytes``."""
    size = path.stat().st_size
    artifact = context.save_artifact("download", name, source=path, content_type=content_type)
    context.log(f"Stored {artifact.name} ({size} bytes).")
    return {"artifact": artifact.name, "size_bytes": size}
