"""In-memory projects with the 8.3 export zip layout (spec 5.3)."""

import io
import json
import zipfile
from dataclasses import dataclass, field

FIELDS = ("title", "description", "enabled", "inheritable", "parent")
DEMO_VIEW = {"root": {"type": "ia.container.flex", "children": []}}


class ProjectError(Exception):
    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass
class Project:
    name: str
    title: str = ""
    description: str = ""
    enabled: bool = True
    inheritable: bool = False
    parent: str | None = None
    requires_auth: bool = False
    files: dict[str, bytes] = field(default_factory=dict)

    def as_item(self) -> dict:
        return {"name": self.name, **{f: getattr(self, f) for f in FIELDS}}


def _view_files(view: str) -> dict[str, bytes]:
    folder = f"com.inductiveautomation.perspective/views/{view}"
    resource = {"scope": "G", "version": 1, "restricted": False, "overridable": True}
    resource["files"] = ["view.json"]
    return {
        f"{folder}/resource.json": json.dumps(resource).encode(),
        f"{folder}/view.json": json.dumps(DEMO_VIEW).encode(),
    }


def default_projects() -> list[Project]:
    files = {}
    for view in ("Home", "Controls", "Defective"):
        files.update(_view_files(view))
    return [
        Project("SimDemo", title="Simulator demo", description="Perspective demo", files=files),
        Project("SecureDemo", title="Login required", requires_auth=True, files=dict(files)),
    ]


class ProjectStore:
    """Projects by name; names are unique ignoring case."""

    def __init__(self, seeds: list[dict]):
        self._projects: dict[str, Project] = {}
        for project in default_projects():
            self._projects[project.name.lower()] = project
        for seed in seeds:
            self._projects[seed["name"].lower()] = Project(**seed)

    def all(self) -> list[Project]:
        return sorted(self._projects.values(), key=lambda p: p.name.lower())

    def find(self, name: str) -> Project | None:
        return self._projects.get(name.lower())

    def get(self, name: str) -> Project:
        project = self.find(name)
        if project is None:
            raise ProjectError(f"Project '{name}' not found.", 404)
        return project

    def _free(self, name: str) -> None:
        if not name:
            raise ProjectError("Project name is required.", 400)
        if self.find(name):
            raise ProjectError(f"Project '{name}' already exists.", 409)

    def create(self, data: dict) -> Project:
        name = data.get("name") or ""
        self._free(name)
        project = Project(name, **{f: data[f] for f in FIELDS if f in data})
        self._projects[name.lower()] = project
        return project

    def update(self, name: str, data: dict) -> Project:
        project = self.get(name)
        for key in FIELDS:
            if key in data:
                setattr(project, key, data[key])
        return project

    def rename(self, name: str, new_name: str) -> Project:
        project = self.get(name)
        if new_name.lower() != name.lower():
            self._free(new_name)
        del self._projects[name.lower()]
        project.name = new_name
        self._projects[new_name.lower()] = project
        return project

    def copy(self, from_name: str, to_name: str) -> Project:
        source = self.get(from_name)
        self._free(to_name)
        data = {f: getattr(source, f) for f in FIELDS}
        project = Project(to_name, files=dict(source.files), **data)
        self._projects[to_name.lower()] = project
        return project

    def delete(self, name: str) -> None:
        self.get(name)
        del self._projects[name.lower()]

    def replace_all(self, projects: list[Project]) -> None:
        self._projects = {p.name.lower(): p for p in projects}


def export_zip(project: Project) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        meta = {f: getattr(project, f) for f in ("title", "description", "enabled", "inheritable")}
        archive.writestr("project.json", json.dumps(meta, indent=2))
        for path, data in sorted(project.files.items()):
            archive.writestr(path, data)
    return buffer.getvalue()


def read_zip(name: str, data: bytes, prefix: str = "") -> Project:
    """Build a project from an export zip (or from ``prefix`` inside a gateway backup)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        meta = json.loads(archive.read(f"{prefix}project.json"))
    except (zipfile.BadZipFile, KeyError, json.JSONDecodeError) as exc:
        raise ProjectError(f"Invalid project export: {exc}", 400) from exc
    return project_from_entries(name, meta, archive, prefix)


def project_from_entries(name: str, meta: dict, archive: zipfile.ZipFile, prefix: str) -> Project:
    files = {
        entry[len(prefix) :]: archive.read(entry)
        for entry in archive.namelist()
        if entry.startswith(prefix) and not entry.endswith("/") and entry != f"{prefix}project.json"
    }
    values = {f: meta[f] for f in FIELDS if f in meta}
    return Project(name, files=files, requires_auth=bool(meta.get("requiresAuth")), **values)
