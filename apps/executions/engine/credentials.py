"""Credentials of one run: resolved (and audited) on first use, their secrets masked.

Every credential is looked up with the rights of the user who started the run (a scheduled
run's requester is the schedule's owner): only credentials of the run's team that are shared
or their own. Anything else fails the run or the step with ``CredentialUnavailableError``.
"""

from typing import Any

from apps.core.errors import NotFoundError
from apps.credentials.models import Credential
from apps.credentials.selectors import credential_get_by_name_for_user, credential_list_for_user
from apps.credentials.services import ResolvedCredential, credential_resolve
from apps.executions.engine.masking import Masker
from apps.executions.models import Execution
from apps.executions.secret_parameters import secret_names


class CredentialUnavailableError(Exception):
    pass


class RunCredentials:
    """The secrets of one run: its secret parameters and the vault credentials it uses.

    Every secret is added to the run's masker before a step can see it; steps resolve vault
    credentials only through ``lookup``, ``find`` and ``of_kind`` (the first use of each in a
    run is audited).
    """

    def __init__(self, execution: Execution, masker: Masker) -> None:
        self.execution = execution
        self.masker = masker
        self._resolved: dict[str, ResolvedCredential] = {}
        self._secret_values = execution.secret_parameters_values()
        for value in self._secret_values.values():
            self.masker.add(str(value))

    def resolve_parameters(
        self, definitions: list[dict], values: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """``values`` (by default the run's parameters with its secret ones decrypted) with the
        credential names given to credential parameters replaced by resolved credentials."""
        kinds = {definition["name"]: definition.get("type") for definition in definitions}
        if values is None:
            values = {**self.execution.parameters, **self._secret_values}
        return {
            name: self.lookup(value)
            if kinds.get(name) == "credential" and isinstance(value, str) and value
            else value
            for name, value in values.items()
        }

    def mask_secret_parameters(self, definitions: list[dict], values: dict[str, Any]) -> None:
        """Mask the values a (child) playbook receives for its secret parameters."""
        for name in secret_names(definitions):
            if isinstance(values.get(name), str):
                self.masker.add(values[name])

    def lookup(self, name: str) -> ResolvedCredential:
        """Credential ``name`` the requester may use; ``CredentialUnavailableError`` if none."""
        if name not in self._resolved:
            self._resolve(self._usable(name))
        return self._resolved[name]

    def find(self, name: str, *, purpose: str = "") -> ResolvedCredential | None:
        """Credential ``name`` of the run's team if the requester may use it, else None."""
        if name in self._resolved:
            return self._resolved[name]
        try:
            return self._resolve(self._usable(name), purpose)
        except CredentialUnavailableError:
            return None

    def of_kind(self, kind: str, *, purpose: str = "") -> list[ResolvedCredential]:
        """The run's team credentials of ``kind`` the requester may use (five at most)."""
        requester = self.execution.requested_by
        if requester is None:
            return []
        rows = credential_list_for_user(requester).filter(team_id=self.execution.team_id)
        return [self._resolve(row, purpose) for row in rows.filter(kind=kind).order_by("name")[:5]]

    def _resolve(self, credential: Credential, purpose: str = "") -> ResolvedCredential:
        """Decrypt (audited, once per run) and mask the secret before anyone sees it."""
        if credential.name not in self._resolved:
            resolved = credential_resolve(
                credential,
                actor=self.execution.requested_by,
                purpose=" ".join(filter(None, [f"execution {self.execution.pk}", purpose])),
            )
            self.masker.add(resolved.secret, username=resolved.username)
            self.masker.add(resolved.secret.strip(), username=resolved.username)
            self._resolved[credential.name] = resolved
        return self._resolved[credential.name]

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
