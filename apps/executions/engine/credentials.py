"""Credentials of one run: resolved (and audited) on first use, their secrets masked."""

from typing import Any

from apps.credentials.models import Credential
from apps.credentials.selectors import credential_list_for_user
from apps.credentials.services import ResolvedCredential, credential_resolve
from apps.executions.engine.masking import Masker
from apps.executions.models import Execution
from apps.executions.secret_parameters import secret_names


class CredentialUnavailableError(Exception):
    pass


class RunCredentials:
    """The secrets of one run: its secret parameters and the vault credentials it uses.

    Every secret is added to the run's masker before a step can see it; steps resolve vault
    credentials only through ``lookup``, ``find`` and ``of_kind`` (each use audited).
    """

    def __init__(self, execution: Execution, masker: Masker) -> None:
        self.execution = execution
        self.masker = masker
        self._resolved: dict[str, ResolvedCredential] = {}
        self._secret_values = execution.secret_parameters_values()
        for value in self._secret_values.values():
            self.masker.add(str(value))

    def resolve_parameters(self, definitions: list[dict]) -> dict[str, Any]:
        """The run's parameters with credential names replaced by resolved credentials and
        secret parameters by their decrypted values."""
        kinds = {definition["name"]: definition.get("type") for definition in definitions}
        values = {**self.execution.parameters, **self._secret_values}
        return {
            name: self.lookup(value) if kinds.get(name) == "credential" else value
            for name, value in values.items()
        }

    def mask_secret_parameters(self, definitions: list[dict], values: dict[str, Any]) -> None:
        """Mask the values a (child) playbook receives for its secret parameters."""
        for name in secret_names(definitions):
            if isinstance(values.get(name), str):
                self.masker.add(values[name])

    def lookup(self, name: str) -> ResolvedCredential:
        """Credential ``name`` of the run's team; an error when there is none."""
        if name not in self._resolved:
            credential = Credential.objects.filter(
                team_id=self.execution.team_id, name=name
            ).first()
            if credential is None:
                raise CredentialUnavailableError(
                    f"No credential named '{name}' in team {self.execution.team}."
                )
            self._resolve(credential)
        return self._resolved[name]

    def find(self, name: str, *, purpose: str = "") -> ResolvedCredential | None:
        """Credential ``name`` of the run's team if the requester may use it, else None."""
        found = self._usable(purpose, name=name)
        return found[0] if found else None

    def of_kind(self, kind: str, *, purpose: str = "") -> list[ResolvedCredential]:
        """The run's team credentials of ``kind`` the requester may use (five at most)."""
        return self._usable(purpose, kind=kind)

    def _usable(self, purpose: str, **filters: str) -> list[ResolvedCredential]:
        actor = self.execution.requested_by
        usable = credential_list_for_user(actor) if actor else Credential.objects.all()
        rows = usable.filter(team_id=self.execution.team_id, **filters).order_by("name")[:5]
        return [self._resolve(row, purpose) for row in rows]

    def _resolve(self, credential: Credential, purpose: str = "") -> ResolvedCredential:
        """Decrypt (audited, once per run) and mask the secret before anyone sees it."""
        if credential.name not in self._resolved:
            resolved = credential_resolve(
                credential,
                actor=self.execution.requested_by,
                purpose=" ".join(filter(None, [f"execution {self.execution.pk}", purpose])),
            )
            self.masker.add(resolved.secret)
            self.masker.add(resolved.secret.strip())
            self._resolved[credential.name] = resolved
        return self._resolved[credential.name]
