"""Credentials of one run: resolved (and audited) on first use, their secrets masked."""

from typing import Any

from apps.credentials.models import Credential
from apps.credentials.services import ResolvedCredential, credential_resolve
from apps.executions.engine.masking import Masker
from apps.executions.models import Execution


class CredentialUnavailableError(Exception):
    pass


class RunCredentials:
    def __init__(self, execution: Execution, masker: Masker) -> None:
        self.execution = execution
        self.masker = masker
        self._resolved: dict[str, ResolvedCredential] = {}

    def resolve_parameters(self, definitions: list[dict]) -> dict[str, Any]:
        """The run's parameters with credential names replaced by resolved credentials."""
        kinds = {definition["name"]: definition.get("type") for definition in definitions}
        return {
            name: self.lookup(value) if kinds.get(name) == "credential" else value
            for name, value in self.execution.parameters.items()
        }

    def lookup(self, name: str) -> ResolvedCredential:
        if name not in self._resolved:
            credential = Credential.objects.filter(
                team_id=self.execution.team_id, name=name
            ).first()
            if credential is None:
                raise CredentialUnavailableError(
                    f"No credential named '{name}' in team {self.execution.team}."
                )
            resolved = credential_resolve(
                credential,
                actor=self.execution.requested_by,
                purpose=f"execution {self.execution.pk}",
            )
            self.masker.add(resolved.secret, username=resolved.username)
            self._resolved[name] = resolved
        return self._resolved[name]
