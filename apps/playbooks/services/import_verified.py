"""Which ``verified: true`` claims an import honours: only an editor of the team vouches."""

from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.accounts.services import audit_record
from apps.credentials.access import user_holds_team_role
from apps.playbooks.errors import plain_issue
from apps.playbooks.models import Playbook
from apps.playbooks.services._common import mark_verified


def claimed_verified(loaded_data: dict, exported: dict) -> bool:
    """Whether the YAML (``verified: true``) or its export metadata claims it is verified."""
    return loaded_data.get("verified") is True or exported.get("verified") is True


def honour_verified(playbook: Playbook, outcome, actor: User | None) -> None:
    """Mark an imported playbook verified when it claims so and ``actor`` may vouch (audited);
    otherwise say on the outcome that the claim was not honoured."""
    if not claimed_verified(outcome.loaded.data, outcome.exported):
        return
    if actor is None or not user_holds_team_role(actor, playbook.team, Role.EDITOR):
        message = (
            f"'verified: true' is not honoured: only an editor of {playbook.team} importing "
            "the playbook vouches for it; verify it on its page once it has run green"
        )
        outcome.warnings.append(plain_issue(message, outcome.file, severity="warning"))
        return
    mark_verified(playbook, verified=True, actor=actor)
    playbook.save(update_fields=["verified", "verified_by", "verified_at", "updated_at"])
    details = {"source": "import", "file": outcome.file}
    audit_record(actor, "playbook.verify", target=playbook, details=details)
