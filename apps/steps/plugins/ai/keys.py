"""Which AI key, provider, model and API base URL a step uses.

The key is the secret of a vault credential of kind ``ai_api_key``:

* ``ai_credential`` names it (a credential parameter of the playbook, ``{{ credential.NAME }}``
  or a plain credential name of the run's team);
* without it: the first ``ai_api_key`` credential among the playbook's parameters, else the
  team's only ``ai_api_key`` credential the requester may use (several: name one).

Vault credentials come from the run's credential resolver (``context.credentials``), which
audits each use and adds the key to the run's masker, so the key never reaches a record.

The credential also says how to reach the provider: ``gateway_url`` is the API base URL (empty
for the provider's public API) and ``description`` lines ``provider=anthropic|openai`` and
``model=NAME`` pick the provider (default: ``sk-ant-`` keys are Anthropic, other ``sk-`` keys
OpenAI, anything else Anthropic) and the default model; the step's ``ai_model`` wins.
"""

import re
from dataclasses import dataclass, field

from apps.credentials.services import ResolvedCredential
from apps.steps.context import StepContext
from apps.steps.params import bad

KIND = "ai_api_key"  # CredentialKind.AI_API_KEY
PROVIDERS = {
    "anthropic": ("https://api.anthropic.com", "claude-sonnet-4-5"),
    "openai": ("https://api.openai.com/v1", "gpt-4o"),
}
NO_KEY = (
    "No AI API key is configured: add a credential of kind 'AI provider API key' to the vault "
    "and name it in 'ai_credential' (keys are never playbook parameters)."
)
OPTION = re.compile(r"^\s*(provider|model)\s*[=:]\s*(\S+)\s*$", re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True)
class AISettings:
    provider: str
    model: str
    base_url: str
    credential: str
    key: str = field(repr=False)


def ai_settings(context: StepContext, values: dict) -> AISettings:
    """The provider settings of this step, or a ``StepError`` saying what to configure."""
    credential = find_credential(context, values.get("ai_credential"))
    if credential.kind != KIND:
        raise bad(f"Credential '{credential.name}' is not an 'AI provider API key' credential.")
    if not credential.secret.strip():
        raise bad(f"Credential '{credential.name}' holds no key. {NO_KEY}")
    options = {k.lower(): v for k, v in OPTION.findall(credential.description or "")}
    provider = options.get("provider", "").lower() or guess_provider(credential.secret)
    if provider not in PROVIDERS:
        raise bad(
            f"Credential '{credential.name}' names provider '{provider}': use one of "
            f"{', '.join(PROVIDERS)} (OpenAI-compatible servers are 'openai')."
        )
    base_url, model = PROVIDERS[provider]
    return AISettings(
        provider=provider,
        model=values.get("ai_model") or options.get("model") or model,
        base_url=(credential.gateway_url or base_url).rstrip("/"),
        credential=credential.name,
        key=credential.secret.strip(),
    )


def guess_provider(key: str) -> str:
    return "openai" if key.startswith("sk-") and not key.startswith("sk-ant-") else "anthropic"


def find_credential(context: StepContext, wanted) -> ResolvedCredential:
    if isinstance(wanted, ResolvedCredential):
        return wanted
    if wanted:
        named = named_credential(context, wanted)
        if named is None:
            raise bad(f"No credential named '{wanted}' for this run. {NO_KEY}")
        return named
    given = [c for c in context.scope.parameters.values() if isinstance(c, ResolvedCredential)]
    found = [c for c in given if c.kind == KIND] or vault(context)
    if len(found) > 1:
        names = ", ".join(sorted(c.name for c in found))
        raise bad(f"Several AI API key credentials ({names}): name one in 'ai_credential'.")
    if not found:
        raise bad(NO_KEY)
    return found[0]


def named_credential(context: StepContext, name: str) -> ResolvedCredential | None:
    """Credential ``name``: a playbook parameter's, else the run's team vault (audited)."""
    given = [c for c in context.scope.parameters.values() if isinstance(c, ResolvedCredential)]
    named = [c for c in given if c.name == name] or vault(context, name=name)
    return named[0] if named else None


def vault(context: StepContext, name: str | None = None) -> list[ResolvedCredential]:
    """Credentials of the run's team the requester may use: ``name``, or every AI key."""
    resolver = context.credentials
    if resolver is None:
        return []
    purpose = f"step {context.step_id}"
    if name:
        found = resolver.find(name, purpose=purpose)
        return [found] if found is not None else []
    return resolver.of_kind(KIND, purpose=purpose)
