"""What a library upload must be: a plain name with an allowed extension, not empty, not over
``FILES_MAX_UPLOAD_MB``, and for archive formats (``.modl``, ``.gwbk``, ``.zip``) a zip."""

import re
import zipfile
from pathlib import PurePosixPath

from django.conf import settings

from apps.core.errors import ApplicationError

ZIP_EXTENSIONS = frozenset({".modl", ".gwbk", ".zip"})
NAME_MAX = 200
UNSAFE = re.compile(r"[\\/\x00-\x1f\x7f]")


class FileRefusedError(ApplicationError):
    """The upload is not a file the library takes; the message says why and what to do."""


class FileTooLargeError(FileRefusedError):
    status = 413


def max_upload_bytes() -> int:
    return settings.FILES_MAX_UPLOAD_MB * 1024 * 1024


def name_check(name: str) -> str:
    """``name`` stripped, or ``FileRefusedError`` naming the rule it breaks."""
    name = (name or "").strip()
    allowed = ", ".join(settings.FILES_ALLOWED_EXTENSIONS)
    if not name:
        raise FileRefusedError("Give the file a name, e.g. 'demo-module.modl'.")
    if len(name) > NAME_MAX:
        raise FileRefusedError(f"The name is {len(name)} characters long; at most {NAME_MAX}.")
    if UNSAFE.search(name) or name.startswith("."):
        raise FileRefusedError(
            f"The name {name!r} must be a plain file name: no folders ('/' or '\\'), no "
            "control characters, not starting with '.'."
        )
    if not extension(name):
        raise FileRefusedError(
            f"The name {name!r} has no extension; the library takes {allowed} "
            "(FILES_ALLOWED_EXTENSIONS)."
        )
    if extension(name) not in settings.FILES_ALLOWED_EXTENSIONS:
        raise FileRefusedError(
            f"Files named '*{extension(name)}' are not accepted; the library takes {allowed} "
            "(FILES_ALLOWED_EXTENSIONS)."
        )
    return name


def extension(name: str) -> str:
    return PurePosixPath(name).suffix.lower()


def content_check(name: str, upload) -> None:
    """Refuse an empty upload, one over the size limit, or an archive that is not a zip."""
    limit = max_upload_bytes()
    if upload.size == 0:
        raise FileRefusedError(f"The file for {name!r} is empty.")
    if upload.size > limit:
        raise FileTooLargeError(
            f"The file is {upload.size:,} bytes; the library accepts at most {limit:,} bytes "
            f"({settings.FILES_MAX_UPLOAD_MB} MB, FILES_MAX_UPLOAD_MB) per file.",
            extra={"limit_bytes": limit},
        )
    if extension(name) in ZIP_EXTENSIONS:
        upload.seek(0)
        is_zip = zipfile.is_zipfile(upload)
        upload.seek(0)
        if not is_zip:
            raise FileRefusedError(
                f"{name!r} is not a zip archive, as {extension(name)} files are: upload the "
                "file the gateway or the Designer exported, unchanged."
            )
