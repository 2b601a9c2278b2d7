"""Credentials of one run: resolved (and audited) on first use, their secrets masked.

Every credential is looked up with the rights of the user who started the run (a scheduled
run's requester is the schedule's owner): only credentials of the run's team that are shared
or their own. Anything else fails the run or the step with ``CredentialUnavailableError``.
"""

from typing import Any

from apps.core.errors import NotFoundError
from apps.credentials.models import Credential
from apps.credentials.selectors import credential_get_by_name_for_user
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

    def resolve_parameters(
        self, definitions: list[dict], values: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """``values`` (by default the run's parameters) with the credential names given to
        credential parameters replaced by resolved credentials."""
        kinds = {definition["name"]: definition.get("type") for definition in definitions}
        values = self.execution.parameters if values is None else values
        return {
            name: self.lookup(value)
            if kinds.get(name) == "credential" and isinstance(value, str) and value
            else value
            for name, value in values.items()
        }

    def lookup(self, name: str) -> ResolvedCredential:
        if name not in self._resolved:
            resolved = credential_resolve(
                self._usable(name),
                actor=self.execution.requested_by,
                purpose=f"execution {self.execution.pk}",
            )
            self.masker.add(resolved.secret)
            self._resolved[name] = resolved
        return self._resolved[name]

    def _usable(self, name: str) -> Credential:
        """The credential ``name`` of the run's team that the requester may use, or raise."""
        team, requester = self.execution.team, self.execution.requested_by
        if requester is None:
            raise CredentialUnavailableError(
                f"Credential '{name}' cannot be used: the user who started this run no longer "
                "exists. Start the run again."
            )
        try:
            return credential_get_by_name_for_user(requester, team, name)
        except NotFoundError:
            if not Credential.objects.filter(team=team, name=name).exists():
                raise CredentialUnavailableError(
                    f"No credential named '{name}' in team {team}."
                ) from None
        raise CredentialUnavailableError(
            f"Credential '{name}' may not be used by {requester.get_username()}, who started "
            f"this run: it is private to another user of {team}."
        )
