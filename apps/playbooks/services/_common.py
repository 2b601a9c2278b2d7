"""Internals shared by the playbook services: validation, paths, versions, access."""

import hashlib
import re

import yaml
from django.utils import timezone

from apps.accounts.models import Team, User
from apps.accounts.roles import Role
from apps.credentials.access import require_team_role
from apps.credentials.selectors import credential_names_for_team
from apps.playbooks.errors import PlaybookInvalidError, issue_as_dict
from apps.playbooks.loader import LoadedPlaybook, PlaybookValidationError, load_playbook
from apps.playbooks.loader.children import ChildRef
from apps.playbooks.loader.document import TOP_LEVEL_KEYS
from apps.playbooks.loader.steps import STEP_DEFAULTS
from apps.playbooks.models import Playbook, PlaybookVersion
from apps.playbooks.selectors import playbook_in_team

DEFAULT_DOMAIN = "gateway"


def require_editor(actor: User, team: Team) -> None:
    """Editors of the owning team (and admins) change playbooks."""
    require_team_role(actor, team, Role.EDITOR, what="change playbooks")


def validate_for_team(
    text: str, *, team: Team, source: str, lenient: bool = False
) -> LoadedPlaybook:
    """Load ``text`` with the team's credential names and playbooks as the known world."""
    try:
        return load_playbook(
            text,
            source=source,
            lenient=lenient,
            credential_names=credential_names_for_team(team),
            child_exists=lambda path: team_child(team, path),
        )
    except PlaybookValidationError as exc:
        raise PlaybookInvalidError(exc.issues) from None


def team_child(team: Team, path: str) -> ChildRef | None:
    """Where a ``playbook.run`` path resolves in ``team``, with the child's parameters."""
    playbook = playbook_in_team(team, path)
    if playbook is None:
        return None
    version = playbook.current_version
    return ChildRef(path=path, parameters=version.parameters if version is not None else None)


def cleaned_text(loaded: LoadedPlaybook) -> str:
    """The YAML of a leniently loaded playbook without the keys lenient mode ignored.

    Step options the author did not write and that hold their default stay out, so the text
    stays close to the original; comments are lost, which is why only lenient imports with
    warnings go through here.
    """
    document = {
        key: loaded.data[key]
        for key in TOP_LEVEL_KEYS
        if key in loaded.data and key not in ("parameters", "steps")
    }
    if loaded.parameters:
        document["parameters"] = loaded.parameters
    originals = {item.get("id"): item for item in loaded.data["steps"]}
    document["steps"] = [
        {
            key: value
            for key, value in step.items()
            if key not in STEP_DEFAULTS or key in originals[step["id"]]
        }
        for step in loaded.steps
    ]
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True)


def warnings_of(loaded: LoadedPlaybook) -> list[dict]:
    return [issue_as_dict(issue) for issue in loaded.warnings]


def sha256_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def safe_name(name: str) -> str:
    """Lower case, spaces and dashes to ``_``, other characters dropped (the originals' rule)."""
    slug = re.sub(r"[\s\-]+", "_", name.strip().lower())
    slug = re.sub(r"[^a-z0-9_]", "", slug).strip("_")
    return slug[:80] or "playbook"


def unique_path(team: Team, domain: str, name: str) -> str:
    """``<domain>/<safe_name>.yaml``, with ``_1``, ``_2``… when the team already has it."""
    folder = safe_name(domain or DEFAULT_DOMAIN)
    stem = safe_name(name)
    taken = set(
        Playbook.objects.filter(team=team, path__startswith=f"{folder}/{stem}").values_list(
            "path", flat=True
        )
    )
    candidate, counter = f"{folder}/{stem}.yaml", 0
    while candidate in taken:
        counter += 1
        candidate = f"{folder}/{stem}_{counter}.yaml"
    return candidate


def store_version(
    playbook: Playbook,
    *,
    text: str,
    loaded: LoadedPlaybook,
    actor: User | None,
    change_note: str,
) -> PlaybookVersion:
    """Append the next revision and make it current; metadata follows the new YAML."""
    last = playbook.versions.order_by("-revision").values_list("revision", flat=True).first()
    version = PlaybookVersion.objects.create(
        playbook=playbook,
        revision=(last or 0) + 1,
        yaml_text=text,
        sha256=sha256_of(text),
        author=actor,
        change_note=change_note[:500],
        parameters=list(loaded.parameters),
    )
    playbook.name = loaded.name
    playbook.version = str(loaded.version or "")[:50]
    playbook.domain = loaded.domain or playbook.domain or DEFAULT_DOMAIN
    playbook.group = loaded.group or ""
    playbook.description = loaded.description or ""
    playbook.current_version = version
    playbook.save()
    return version


def lock(playbook: Playbook) -> Playbook:
    """Re-read the playbook row under a lock so concurrent saves get distinct revisions."""
    return (
        Playbook.objects.select_for_update(of=("self",)).select_related("team").get(pk=playbook.pk)
    )


UNVERIFIED_NOTE = "(no longer verified: its steps or parameters changed)"


def behaviour_changed(current: PlaybookVersion | None, loaded: LoadedPlaybook) -> bool:
    """Whether ``loaded`` runs differently from ``current``: other steps or parameters."""
    if current is None:
        return True
    try:
        before = load_playbook(current.yaml_text, lenient=True)
    except PlaybookValidationError:
        return True
    return (before.steps, before.parameters) != (loaded.steps, loaded.parameters)


def mark_verified(playbook: Playbook, *, verified: bool, actor: User | None) -> None:
    playbook.verified = verified
    playbook.verified_by = actor if verified else None
    playbook.verified_at = timezone.now() if verified else None
