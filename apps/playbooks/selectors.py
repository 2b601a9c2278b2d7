"""Reads of playbooks, versions and presets, scoped to the user."""

import difflib
from typing import Any

from django.db.models import Q, QuerySet

from apps.accounts.models import Team, User
from apps.accounts.selectors import scope_to_user, user_is_admin
from apps.core.errors import NotFoundError
from apps.playbooks.models import Playbook, PlaybookVersion, Preset

FILTERS = ("domain", "group", "origin", "enabled", "verified", "team")


def playbook_list_for_user(
    user: User, *, filters: dict[str, Any] | None = None
) -> QuerySet[Playbook]:
    """Playbooks of the user's teams, optionally filtered and searched.

    ``filters`` may hold ``domain``, ``group``, ``origin``, ``enabled``, ``verified``, ``team``
    (exact matches) and ``search`` (name, description or path contain it, any case).
    """
    queryset = scope_to_user(
        Playbook.objects.select_related("team", "current_version", "verified_by"), user
    )
    filters = filters or {}
    exact = {name: filters[name] for name in FILTERS if filters.get(name) is not None}
    queryset = queryset.filter(**exact)
    search = (filters.get("search") or "").strip()
    if search:
        queryset = queryset.filter(
            Q(name__icontains=search) | Q(description__icontains=search) | Q(path__icontains=search)
        )
    return queryset


def playbook_get_for_user(user: User, playbook_id: int) -> Playbook:
    """One playbook the user may see, or ``NotFoundError``."""
    try:
        return playbook_list_for_user(user).get(pk=playbook_id)
    except Playbook.DoesNotExist:
        raise NotFoundError(f"Playbook {playbook_id} does not exist or is not yours.") from None


def playbook_exists_in_team(team: Team, path: str) -> bool:
    """Whether ``team`` has a playbook at library ``path`` (``playbooks/`` prefix allowed)."""
    return Playbook.objects.filter(team=team, path=playbook_normalise_path(path)).exists()


def playbook_in_team(team: Team, path: str) -> Playbook | None:
    """The team's playbook at library ``path`` with its current version, or None."""
    return (
        Playbook.objects.filter(team=team, path=playbook_normalise_path(path))
        .select_related("current_version")
        .first()
    )


def playbook_normalise_path(path: str) -> str:
    """``./playbooks/gateway/login.yaml`` (or with backslashes) → ``gateway/login.yaml``."""
    path = path.replace("\\", "/").strip().lstrip("./")
    return path.removeprefix("playbooks/")


def playbook_version_list(playbook: Playbook) -> QuerySet[PlaybookVersion]:
    """Every version of a playbook, newest first, with its author."""
    return playbook.versions.select_related("author").order_by("-revision")


def playbook_version_get(playbook: Playbook, revision: int) -> PlaybookVersion:
    """One revision of a playbook, or ``NotFoundError``."""
    try:
        return playbook.versions.get(revision=revision)
    except PlaybookVersion.DoesNotExist:
        raise NotFoundError(f"{playbook} has no revision {revision}.") from None


def playbook_version_diff(playbook: Playbook, *, from_revision: int, to_revision: int) -> str:
    """A unified diff of the YAML between two revisions (empty when they are equal)."""
    old = playbook_version_get(playbook, from_revision)
    new = playbook_version_get(playbook, to_revision)
    lines = difflib.unified_diff(
        old.yaml_text.splitlines(keepends=True),
        new.yaml_text.splitlines(keepends=True),
        fromfile=f"{playbook.path}@r{old.revision}",
        tofile=f"{playbook.path}@r{new.revision}",
    )
    return "".join(lines)


def preset_list_for_user(user: User, *, playbook: Playbook | None = None) -> QuerySet[Preset]:
    """Presets of playbooks the user sees that are shared or the user's own (admins: all)."""
    queryset = Preset.objects.select_related("playbook", "owner").filter(
        playbook__in=playbook_list_for_user(user)
    )
    if playbook is not None:
        queryset = queryset.filter(playbook=playbook)
    if user_is_admin(user):
        return queryset
    return queryset.filter(Q(shared=True) | Q(owner=user))


def preset_get_for_user(user: User, preset_id: int) -> Preset:
    """One preset the user may see, or ``NotFoundError``."""
    try:
        return preset_list_for_user(user).get(pk=preset_id)
    except Preset.DoesNotExist:
        raise NotFoundError(f"Preset {preset_id} does not exist or is not yours.") from None


def playbook_has_runs(playbook: Playbook) -> bool:
    """Whether any run used a revision of ``playbook`` (runs keep the revision they ran)."""
    return PlaybookVersion.objects.filter(playbook=playbook, executions__isnull=False).exists()
