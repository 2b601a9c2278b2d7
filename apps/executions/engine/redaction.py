"""The run's secrets out of its stored files, before they are recorded as artifacts.

Text files (pages, debug contexts, logs, and downloads whose type is text, JSON, XML,
JavaScript or a form) are rewritten through the masker; a Playwright trace (a zip of JSON
lines and resources: typed values, request bodies, DOM snapshots) is rewritten entry by entry.
Images and other binary files are left as they are.
"""

import re
import zipfile
from pathlib import Path

from apps.executions.engine.masking import Masker
from apps.executions.models import ArtifactKind

TEXT_KINDS = frozenset({ArtifactKind.HTML, ArtifactKind.DEBUG, ArtifactKind.LOG})
TEXT_TYPES = re.compile(
    r"^\s*(text/|application/([\w.-]+\+)?(json|xml|javascript|ecmascript|x-www-form-urlencoded)"
    r"|application/x-ndjson)",
    re.IGNORECASE,
)


def is_text(content_type: str) -> bool:
    return bool(TEXT_TYPES.match(content_type or ""))


def redact_file(path: Path, *, kind: str, content_type: str, masker: Masker) -> None:
    """Mask the secrets inside the stored file at ``path`` in place, if it can hold them."""
    if not masker.has_secrets():
        return
    if kind == ArtifactKind.TRACE and zipfile.is_zipfile(path):
        _redact_zip(path, masker)
    elif kind == ArtifactKind.TRACE or kind in TEXT_KINDS or is_text(content_type):
        _redact_bytes(path, masker)


def _redact_bytes(path: Path, masker: Masker) -> None:
    data = path.read_bytes()
    masked = masker.mask_bytes(data)
    if masked != data:
        path.write_bytes(masked)


def _redact_zip(path: Path, masker: Masker) -> None:
    """Rewrite every entry of the archive through the masker (names and dates kept)."""
    rewritten = path.with_name(f"{path.name}.redacting")
    with (
        zipfile.ZipFile(path) as source,
        zipfile.ZipFile(rewritten, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            data = masker.mask_bytes(source.read(entry))
            target.writestr(entry, data, compress_type=zipfile.ZIP_DEFLATED)
    rewritten.replace(path)
