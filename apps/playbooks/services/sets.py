"""The files of a playbook set: uploads, zips and folders, with their relative paths.

A set keeps its shape: a zip or folder gives each file its path inside it (a single top folder
and a leading ``playbooks/`` are dropped, as the originals' paths start below them); a loose
file gives its name; an export JSON that says where it lived (the originals' ``path``) is put
back there. Backups (``*.backup.*``) and files other than YAML and JSON are skipped.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from apps.core.errors import ApplicationError

SUFFIXES = (".yaml", ".yml", ".json")
MAX_FILE_BYTES = 1_000_000
MAX_FILES = 500
DOMAIN_FOLDERS = ("gateway", "perspective", "designer")


@dataclass(frozen=True)
class SetFile:
    """One file of a set: its path inside the set (as given) and its text."""

    path: str
    content: str


def _wanted(name: str) -> bool:
    pure = PurePosixPath(name)
    return (
        pure.suffix.lower() in SUFFIXES
        and ".backup." not in pure.name
        and not any(part.startswith((".", "__MACOSX")) for part in pure.parts)
    )


def _text(name: str, data: bytes) -> str:
    if len(data) > MAX_FILE_BYTES:
        raise ApplicationError(f"'{name}' is larger than 1 MB.")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise ApplicationError(f"'{name}' is not UTF-8 text.") from None


def files_from_zip(name: str, data: bytes) -> list[SetFile]:
    """The playbook files of a zip archive, by their path inside it."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ApplicationError(f"'{name}' is not a zip archive.") from None
    members = [m for m in archive.infolist() if not m.is_dir() and _wanted(m.filename)]
    if len(members) > MAX_FILES:
        raise ApplicationError(f"'{name}' holds more than {MAX_FILES} playbook files.")
    files = []
    for member in members:
        if member.file_size > MAX_FILE_BYTES:
            raise ApplicationError(f"'{member.filename}' in '{name}' is larger than 1 MB.")
        files.append(SetFile(member.filename, _text(member.filename, archive.read(member))))
    return strip_common_folder(files)


def files_from_uploads(uploads: list[tuple[str, bytes]]) -> list[SetFile]:
    """Uploaded files: each zip expands to its files, any other file keeps its name."""
    files: list[SetFile] = []
    for name, data in uploads:
        if name.lower().endswith(".zip"):
            files.extend(files_from_zip(name, data))
        elif _wanted(PurePosixPath(name.replace("\\", "/")).name):
            files.append(SetFile(PurePosixPath(name).name, _text(name, data)))
    return files


def files_from_paths(paths: list[Path]) -> list[SetFile]:
    """Files, folders (searched recursively) and zips on disk."""
    files: list[SetFile] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file())
            folder = [
                SetFile(p.relative_to(path).as_posix(), _text(str(p), p.read_bytes()))
                for p in found
                if _wanted(p.relative_to(path).as_posix())
            ]
            files.extend(strip_common_folder(folder))
        elif path.suffix.lower() == ".zip":
            files.extend(files_from_zip(str(path), path.read_bytes()))
        elif path.is_file():
            files.append(SetFile(path.name, _text(str(path), path.read_bytes())))
        else:
            raise ApplicationError(f"'{path}' does not exist.")
    return files


def strip_common_folder(files: list[SetFile]) -> list[SetFile]:
    """Drop the folders every file is in (``my-set/playbooks/``), down to a domain folder."""
    parts = [PurePosixPath(f.path).parts for f in files]
    while (
        parts
        and parts[0][0] not in DOMAIN_FOLDERS
        and all(len(p) > 1 and p[0] == parts[0][0] for p in parts)
    ):
        parts = [p[1:] for p in parts]
    return [SetFile("/".join(p), f.content) for p, f in zip(parts, files, strict=True)]


def set_name_of(names: list[str]) -> str:
    """A set's default name: the zip's or folder's name when there is one, else 'set'."""
    for name in names:
        pure = PurePosixPath(name.replace("\\", "/"))
        if pure.suffix.lower() == ".zip" or not pure.suffix:
            return pure.stem or "set"
    return "set"
