"""Importing a set of playbooks under a namespace, keeping the set's relative paths.

Each file lands at ``<namespace><its path in the set>`` (``.yml``/``.json`` become ``.yaml``).
A ``playbook.run`` path that names a file of the set is rewritten to that file's new path; a
path that only matches a set file by name while the team has a playbook at that path is
ambiguous and refused; a path outside the set runs the team's playbook, with a warning. Every
call is checked against the child's parameters. A file whose child in the set fails fails too;
the others are imported.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from django.db import transaction

from apps.accounts.models import Team, User
from apps.accounts.services import audit_record
from apps.credentials.selectors import credential_names_for_team
from apps.playbooks.errors import issue_as_dict, plain_issue
from apps.playbooks.loader import LoadedPlaybook, PlaybookValidationError, load_playbook
from apps.playbooks.models import Playbook, PlaybookOrigin
from apps.playbooks.selectors import playbook_normalise_path
from apps.playbooks.services._common import (
    DEFAULT_DOMAIN,
    cleaned_text,
    require_editor,
    safe_name,
    store_version,
    warnings_of,
)
from apps.playbooks.services.import_children import SetResolver
from apps.playbooks.services.import_verified import honour_verified
from apps.playbooks.services.sets import SetFile


@dataclass
class FileOutcome:
    """What became of one file: ``imported``, ``valid`` (dry run) or ``error``."""

    file: str
    path: str
    result: str = "valid"
    warnings: list[dict] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    playbook: Playbook | None = None
    text: str = ""
    loaded: LoadedPlaybook | None = None
    exported: dict = field(default_factory=dict)
    original: str = ""

    @property
    def diff(self) -> str:
        """A unified diff from the file as given to what is (or would be) saved; empty when the
        import changes nothing."""
        if not self.original or self.text == self.original:
            return ""
        lines = difflib.unified_diff(
            self.original.splitlines(keepends=True),
            self.text.splitlines(keepends=True),
            fromfile=self.file,
            tofile=self.path,
        )
        return "".join(lines)


@dataclass
class SetImportResult:
    namespace: str
    files: list[FileOutcome]

    @property
    def ok(self) -> bool:
        return all(outcome.result != "error" for outcome in self.files)


def namespace_of(namespace: str | None, set_name: str) -> str:
    """``imported/<set name>/`` unless given; always a relative folder ending in ``/``."""
    if namespace is None or not namespace.strip():
        namespace = f"imported/{safe_name(set_name or 'set')}/"
    folders = namespace.replace("\\", "/").split("/")
    parts = [safe_name(part) for part in folders if part.strip(". ")]
    return "/".join(parts) + "/" if parts else ""


def playbook_import_set(
    *,
    team: Team,
    actor: User | None,
    files: list[SetFile],
    set_name: str = "",
    namespace: str | None = None,
    lenient: bool = False,
    dry_run: bool = False,
) -> SetImportResult:
    """Validate every file of the set, then (unless ``dry_run``) import the valid ones.

    ``actor`` None is the server's command line: no role check, and ``verified: true`` claims
    are not honoured (nobody vouches for them).
    """
    if actor is not None:
        require_editor(actor, team)
    prefix = namespace_of(namespace, set_name)
    outcomes = [_outcome(f, prefix) for f in files]
    resolver = SetResolver(team, prefix, {o.path[len(prefix) :]: o for o in outcomes})
    names = credential_names_for_team(team)
    taken = set(Playbook.objects.filter(team=team).values_list("path", flat=True))
    for outcome in outcomes:
        if outcome.path in taken:
            message = f"Team {team} already has a playbook at '{outcome.path}'"
            outcome.result, outcome.errors = "error", [plain_issue(message, outcome.file)]
        if outcome.result != "error":
            _validate(outcome, resolver, names, lenient=lenient)
    _fail_parents_of_failed(outcomes, resolver)
    if not dry_run:
        _save(team, actor, [o for o in outcomes if o.result != "error"], lenient)
    return SetImportResult(prefix, outcomes)


def _outcome(file: SetFile, prefix: str) -> FileOutcome:
    from apps.playbooks.services.catalogue import unwrap_export

    outcome = FileOutcome(file=file.path, path="")
    try:
        outcome.text, outcome.exported = unwrap_export(file.content)
        outcome.original = outcome.text
    except Exception as exc:  # noqa: BLE001 - any unreadable export is this file's error
        outcome.result = "error"
        outcome.errors = [plain_issue(str(exc), file.path)]
    relative = outcome.exported.get("path") or file.path
    relative = playbook_normalise_path(str(relative))
    stem = PurePosixPath(relative)
    outcome.path = prefix + (stem.with_suffix(".yaml").as_posix() if stem.suffix else relative)
    return outcome


def _validate(outcome: FileOutcome, resolver, names, *, lenient: bool) -> None:
    source = outcome.file
    try:
        loaded = _load(outcome.text, source, resolver, names, lenient=lenient)
        outcome.warnings = warnings_of(loaded)
        if outcome.warnings:
            outcome.text = cleaned_text(loaded)
            loaded = _load(outcome.text, source, resolver, names, lenient=False)
    except PlaybookValidationError as exc:
        outcome.result = "error"
        outcome.errors = [issue_as_dict(issue) for issue in exc.issues]
        return
    outcome.loaded = loaded


def _load(text: str, source: str, resolver, names, *, lenient: bool) -> LoadedPlaybook:
    return load_playbook(
        text, source=source, lenient=lenient, credential_names=names, child_exists=resolver.resolve
    )


def _fail_parents_of_failed(outcomes: list[FileOutcome], resolver) -> None:
    """A file whose child in the set failed cannot run it: it fails too (transitively)."""
    changed = True
    while changed:
        changed = False
        failed = {o.path for o in outcomes if o.result == "error"}
        for outcome in outcomes:
            if outcome.result == "error" or outcome.loaded is None:
                continue
            bad = [c for c in resolver.children_of(outcome.loaded) if c in failed]
            if bad:
                message = f"Its child playbook '{bad[0]}' of this set did not import"
                outcome.result, changed = "error", True
                outcome.errors = [plain_issue(message, outcome.file)]


@transaction.atomic
def _save(team: Team, actor: User | None, outcomes: list[FileOutcome], lenient: bool) -> None:
    for outcome in outcomes:
        loaded = outcome.loaded
        playbook = Playbook(
            team=team,
            origin=PlaybookOrigin.IMPORTED,
            path=outcome.path,
            domain=safe_name(loaded.domain or outcome.exported.get("domain") or DEFAULT_DOMAIN),
        )
        playbook.save()
        note = f"Imported from {outcome.file}"
        if outcome.warnings:
            note += f"; {len(outcome.warnings)} change(s) for the portal's format"
        store_version(playbook, text=outcome.text, loaded=loaded, actor=actor, change_note=note)
        details = {"path": playbook.path, "lenient": lenient, "file": outcome.file}
        audit_record(actor, "playbook.import", target=playbook, details=details)
        honour_verified(playbook, outcome, actor)
        outcome.result, outcome.playbook = "imported", playbook
