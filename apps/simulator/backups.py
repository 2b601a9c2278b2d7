"""Gateway backups (``.gwbk``, spec 5.2): build one from the state, restore one into it."""

import io
import json
import random
import sqlite3
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree as ET  # noqa: S405 - reads backupinfo.xml of uploads only

from .projects import Project, project_from_entries

RESOURCES = "config/resources/core/"
# A default 8.3.9 backup: ~3.6 MB in ~1,592 entries. The padding sits where a restore of the
# simulator does not read it (the "local" collection).
REALISTIC_ENTRIES = 1590
REALISTIC_BYTES = 3_600_000
PADDING = "config/resources/local/com.inductiveautomation.simulator/padding/"


class BackupError(Exception):
    pass


@dataclass
class BackupContent:
    version: str
    projects: list[Project]
    resources: dict[str, dict[str, dict]] | None


def _empty_sqlite() -> bytes:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE CERTIFICATES (THUMBPRINT TEXT, SUBJECTNAME TEXT)")
    db.execute("CREATE TABLE EULAS (MODULEID TEXT, CRC INTEGER)")
    data = bytes(db.serialize())
    db.close()
    return data


def build(gateway) -> bytes:
    config = gateway.config
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "backupinfo.xml",
            f'<?xml version="1.0" encoding="UTF-8"?>\n<backupinfo><version>{config.version}'
            f"</version><edition>{config.edition}</edition>"
            f"<timestamp>{gateway.clock.epoch_ms()}</timestamp></backupinfo>\n",
        )
        archive.writestr("ignition.conf", "wrapper.java.maxmemory=1024\n")
        archive.writestr(
            "redundancy.xml",
            '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE properties SYSTEM '
            '"http://java.sun.com/dtd/properties.dtd">\n<properties>\n'
            '<entry key="redundancy.noderole">Independent</entry>\n</properties>\n',
        )
        for project in gateway.projects.all():
            _write_project(archive, project)
        if config.is_83:
            for type_id, resources in gateway.resources.types.items():
                for name, resource in resources.items():
                    archive.writestr(
                        f"{RESOURCES}{type_id}/{name}/config.json", json.dumps(resource)
                    )
        else:
            archive.writestr("db_backup_sqlite.idb", _empty_sqlite())
        if config.realistic_backup:
            _pad(archive)
    return buffer.getvalue()


def _pad(archive: zipfile.ZipFile) -> None:
    """Fill the archive up to a real backup's size and entry count (incompressible bytes)."""
    missing = max(0, REALISTIC_ENTRIES - len(archive.namelist()))
    size = REALISTIC_BYTES // max(1, missing)
    chunk = random.Random(8309).randbytes(size)  # noqa: S311 - filler, not a secret
    for number in range(missing):
        archive.writestr(f"{PADDING}{number:04d}/config.json", chunk)


def _write_project(archive: zipfile.ZipFile, project: Project) -> None:
    meta = {f: getattr(project, f) for f in ("title", "description", "enabled", "inheritable")}
    meta["parent"] = project.parent
    meta["requiresAuth"] = project.requires_auth
    archive.writestr(f"projects/{project.name}/project.json", json.dumps(meta))
    for path, data in sorted(project.files.items()):
        archive.writestr(f"projects/{project.name}/{path}", data)


def read(data: bytes) -> BackupContent:
    """Validate and read a ``.gwbk``; raises ``BackupError`` with a readable reason."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        info = ET.fromstring(archive.read("backupinfo.xml"))  # noqa: S314 - simulator input
    except (zipfile.BadZipFile, KeyError, ET.ParseError) as exc:
        raise BackupError(f"Not a gateway backup: {exc}") from exc
    version = (info.findtext("version") or "").strip()
    if not version:
        raise BackupError("Not a gateway backup: backupinfo.xml has no version")
    names = archive.namelist()
    projects = []
    for entry in names:
        parts = entry.split("/")
        if len(parts) == 3 and parts[0] == "projects" and parts[2] == "project.json":
            meta = json.loads(archive.read(entry))
            projects.append(project_from_entries(parts[1], meta, archive, f"projects/{parts[1]}/"))
    resources = None
    if any(n.startswith("config/") for n in names):
        resources = {}
        for entry in names:
            if entry.startswith(RESOURCES) and entry.endswith("/config.json"):
                type_path, name = entry[len(RESOURCES) :].rsplit("/", 2)[:2]
                resources.setdefault(type_path, {})[name] = json.loads(archive.read(entry))
    return BackupContent(version, projects, resources)
