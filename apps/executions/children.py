"""Finding the child playbook of a ``playbook.run`` step, with the nesting rules."""

from apps.accounts.models import Team
from apps.core.errors import ApplicationError
from apps.playbooks.loader import LoadedPlaybook, PlaybookValidationError, load_playbook
from apps.playbooks.models import Playbook
from apps.playbooks.selectors import playbook_normalise_path

MAX_DEPTH = 3


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
