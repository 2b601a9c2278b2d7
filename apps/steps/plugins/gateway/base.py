"""The wrapper every gateway step runs in: parameters, which gateway, the run's client, errors.

Which gateway (fixes the originals' bug #18, where a playbook's ``gateway_url`` did nothing):
the step's own ``gateway_url`` parameter when its type declares one, else the playbook
parameter ``gateway_url`` (filled from the run's target gateway when left empty), else the
``gateway_url`` of a credential among the playbook parameters, else the gateway the run already
talked to (a nested playbook without the parameter). A run keeps one client per gateway URL,
shared with its nested playbooks.
"""

import functools
from collections.abc import Callable
from typing import Any

from apps.core.errors import ApplicationError
from apps.core.gateway_probe import validate_base_url
from apps.credentials.services import ResolvedCredential
from apps.gateways.client import GatewayClient, GatewayError
from apps.steps.errors import StepError
from apps.steps.files import resolve_files
from apps.steps.params import bad, parse

CURRENT = "gateway:current"
API_TOKEN = "api_token"  # noqa: S105 - a credential kind
Action = Callable[[GatewayClient, Any, dict], dict]


def gateway_step(step_type: str) -> Callable[[Action], Callable[[Any, dict], dict]]:
    """Turn ``action(client, context, values)`` into the ``run(context, params)`` of a step."""

    def decorate(action: Action) -> Callable[[Any, dict], dict]:
        @functools.wraps(action)
        def run(context, params: dict) -> dict:
            values = resolve_files(context, step_type, parse(step_type, params, context.log))
            client = client_for(context, values)
            try:
                return action(client, context, values)
            except GatewayError as exc:
                context.check()  # an abort by cancel or timeout shows as that, not as an error
                raise StepError(exc.message, retryable=exc.retryable) from exc
            finally:
                client.bind(sleep=None, check=None)

        return run

    return decorate


def gateway_url(context, values: dict) -> str | None:
    """The base URL of the gateway this step talks to (see the module docstring)."""
    parameters = context.scope.parameters
    for candidate in (values.get("gateway_url"), parameters.get("gateway_url")):
        if isinstance(candidate, str) and candidate.strip():
            return candidate
    for credential in run_credentials(context):
        if credential.gateway_url:
            return credential.gateway_url
    return None


def run_credentials(context, url: str | None = None) -> list[ResolvedCredential]:
    """Credentials among the playbook parameters; those for ``url`` (or for no URL) first."""
    found = [v for v in context.scope.parameters.values() if isinstance(v, ResolvedCredential)]
    if url is None:
        return found
    usable = [c for c in found if not c.gateway_url or same_url(c.gateway_url, url)]
    return sorted(usable, key=lambda c: (not c.gateway_url, c.kind != API_TOKEN))


def same_url(first: str, second: str) -> bool:
    return first.strip().rstrip("/") == second.strip().rstrip("/")


def client_for(context, values: dict) -> GatewayClient:
    """The run's client for this step's gateway, bound to the step's cancel checks."""
    url = gateway_url(context, values)
    if url is None:
        current = context.resources.peek(CURRENT)
        if current is None:
            raise bad(
                "No gateway to talk to: give the playbook a 'gateway_url' parameter, run it "
                "against a gateway target, or use a credential that has a gateway URL."
            )
        client = current
    else:
        try:
            url = validate_base_url(url)
        except ApplicationError as exc:
            raise bad(str(exc)) from exc
        client = context.resources.get(
            f"gateway:{url}", lambda: new_client(context, url), close=GatewayClient.close
        )
        context.resources.get(CURRENT, lambda: client)
    client.bind(sleep=context.sleep, check=context.check)
    context.add_interrupter(client.abort)
    return client


def new_client(context, url: str) -> GatewayClient:
    """A client using the run's credential for ``url`` until a login step says otherwise."""
    client = GatewayClient(url)
    credential = next(iter(run_credentials(context, url)), None)
    if credential is not None:
        authenticate(client, credential)
    return client


def authenticate(client: GatewayClient, credential: ResolvedCredential, username: str = "") -> str:
    """Use an API-token credential as the token, any other as a (lazy) web login."""
    if credential.kind == API_TOKEN:
        client.use_token(credential.secret)
        return "token"
    client.username = username or credential.username
    client.password = credential.secret
    client.session_open = False
    return "session"


def secret_text(value: Any) -> str:
    return value.secret if isinstance(value, ResolvedCredential) else str(value)
