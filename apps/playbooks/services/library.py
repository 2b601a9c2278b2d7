"""The library sync: ``playbooks/<domain>/*.yaml`` become built-in playbooks of every team."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction

from apps.accounts.models import Team
from apps.accounts.services import audit_record
from apps.playbooks.errors import issue_as_dict
from apps.playbooks.loader import LoadedPlaybook, PlaybookValidationError, load_playbook
from apps.playbooks.loader.children import ChildRef
from apps.playbooks.models import Playbook, PlaybookOrigin
from apps.playbooks.selectors import playbook_normalise_path
from apps.playbooks.services._common import mark_verified, sha256_of, store_version


@dataclass
class LibraryFile:
    path: str
    text: str
    loaded: LoadedPlaybook


@dataclass
class SyncReport:
    """What one sync did, per ``<team>: <path>``; ``invalid`` lists files that failed to load."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    invalid: dict[str, list[dict]] = field(default_factory=dict)


def library_files(root: Path) -> tuple[list[LibraryFile], dict[str, list[dict]]]:
    """Load every ``<root>/<domain>/*.yaml`` (backups skipped); return the good and the bad.

    Every ``playbook.run`` call is checked against the parameters of the library's child.
    """
    paths = sorted(p for p in root.glob("*/*.yaml") if p.is_file() and ".backup." not in p.name)
    texts = {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8") for p in paths}
    declared = _declared_parameters(texts)

    def child(path: str) -> ChildRef | None:
        found = playbook_normalise_path(path)
        return ChildRef(path, declared.get(found)) if found in texts else None

    good, bad = [], {}
    for relative, text in texts.items():
        try:
            loaded = load_playbook(text, source=f"playbooks/{relative}", child_exists=child)
        except PlaybookValidationError as exc:
            bad[relative] = [issue_as_dict(issue) for issue in exc.issues]
            continue
        good.append(LibraryFile(path=relative, text=text, loaded=loaded))
    return good, bad


def _declared_parameters(texts: dict[str, str]) -> dict[str, list[dict]]:
    """The parameter definitions of each file that loads on its own."""
    declared = {}
    for relative, text in texts.items():
        try:
            declared[relative] = load_playbook(text).parameters
        except PlaybookValidationError:
            continue
    return declared


def shipped_library_root() -> Path:
    """The folder of the shipped library."""
    return Path(settings.BASE_DIR) / "playbooks"


def playbook_library_sync(*, root: Path, teams: Iterable[Team] | None = None) -> SyncReport:
    """Make every team's built-ins match the library folder; idempotent.

    A new file becomes a built-in, verified (the library is ours: its playbooks are tested
    against the simulator, so parents can run them at once); a changed file becomes a new
    revision; a built-in that a user has edited is never overwritten and is
    reported as skipped, as is a user playbook that already has the path.
    """
    files, report = [], SyncReport()
    files, report.invalid = library_files(root)
    for team in teams if teams is not None else Team.objects.order_by("name"):
        for library_file in files:
            outcome = _sync_one(team, library_file)
            getattr(report, outcome[0]).append(f"{team}: {library_file.path}{outcome[1]}")
    return report


@transaction.atomic
def _sync_one(team: Team, library_file: LibraryFile) -> tuple[str, str]:
    playbook = (
        Playbook.objects.select_for_update(of=("self",))
        .select_related("current_version")
        .filter(team=team, path=library_file.path)
        .first()
    )
    if playbook is None:
        _create(team, library_file)
        return "created", ""
    if playbook.origin != PlaybookOrigin.BUILTIN:
        return "skipped", " (a user playbook has this path)"
    if playbook.current_version.sha256 == sha256_of(library_file.text):
        return "unchanged", ""
    if playbook.versions.filter(author__isnull=False).exists():
        return "skipped", " (edited by a user; not overwritten)"
    store_version(
        playbook,
        text=library_file.text,
        loaded=library_file.loaded,
        actor=None,
        change_note="Library update",
    )
    audit_record(None, "playbook.library_update", target=playbook)
    return "updated", ""


def _create(team: Team, library_file: LibraryFile) -> None:
    loaded = library_file.loaded
    playbook = Playbook(
        team=team,
        path=library_file.path,
        origin=PlaybookOrigin.BUILTIN,
        domain=loaded.domain or library_file.path.split("/", 1)[0],
    )
    mark_verified(playbook, verified=True, actor=None)
    playbook.save()
    store_version(
        playbook, text=library_file.text, loaded=loaded, actor=None, change_note="Library sync"
    )
    audit_record(None, "playbook.library_create", target=playbook)
