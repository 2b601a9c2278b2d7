"""Finding the child playbook of a ``playbook.run`` step, with the nesting rules."""

from typing import Any

from apps.accounts.models import Team
from apps.core.errors import ApplicationError
from apps.credentials.services import ResolvedCredential
from apps.executions.parameters import EMPTY_TEXT_KINDS, parameter_coerce
from apps.playbooks.loader import LoadedPlaybook, PlaybookValidationError, load_playbook
from apps.playbooks.models import Playbook
from apps.playbooks.selectors import playbook_normalise_path

MAX_DEPTH = 3
PASSED_AS_IS = ("credential",)  # a name (resolved with the caller's rights) or a credential


class ChildPlaybookError(ApplicationError):
    """A ``playbook.run`` step names a child that may not run; the message says why."""


def child_playbook_load(team: Team, path: str, *, stack: tuple[str, ...]) -> LoadedPlaybook:
    """Load the verified child at ``path``; ``stack`` is the chain of playbooks above it."""
    path = playbook_normalise_path(path)
    chain = " → ".join((*stack, path))
    if path in stack:
        raise ChildPlaybookError(f"Playbook cycle: {chain}. A playbook may not run itself.")
    if len(stack) > MAX_DEPTH:
        raise ChildPlaybookError(f"Nesting is limited to {MAX_DEPTH} levels: {chain}.")
    playbook = Playbook.objects.filter(team=team, path=path).select_related("current_version")
    child = playbook.first()
    if child is None or child.current_version is None:
        raise ChildPlaybookError(f"Child playbook '{path}' does not exist in team {team}.")
    if not child.verified:
        raise ChildPlaybookError(
            f"Child playbook '{path}' is not verified: only verified playbooks run nested. "
            "Verify it on its page first."
        )
    try:
        return load_playbook(child.current_version.yaml_text, source=path)
    except PlaybookValidationError as exc:
        raise ChildPlaybookError(f"Child playbook '{path}' is invalid: {exc}") from None


def child_values(path: str, definitions: list[dict], given: dict[str, Any]) -> dict[str, Any]:
    """The values a child receives, typed as it declares them, its defaults filled in.

    Unknown names, missing required values and values that cannot take the declared type
    raise ``ChildPlaybookError`` listing every problem.
    """
    declared = {d["name"]: d for d in definitions}
    problems = [f"unknown parameter '{name}'" for name in given if name not in declared]
    values: dict[str, Any] = {}
    for name, definition in declared.items():
        value = given.get(name)
        if value is None or value == "":
            value = definition.get("default", value)
        if value is None or (value == "" and definition.get("type") not in EMPTY_TEXT_KINDS):
            if definition.get("required", True):
                problems.append(f"'{name}' is required")
            continue
        try:
            values[name] = _typed(definition.get("type", "string"), value)
        except ValueError as exc:
            problems.append(f"'{name}' {exc}")
    if problems:
        raise ChildPlaybookError(f"Child playbook '{path}' parameters: " + "; ".join(problems))
    return values


def _typed(kind: str, value: Any) -> Any:
    if kind in PASSED_AS_IS or isinstance(value, ResolvedCredential):
        return value
    return parameter_coerce(kind, value)
