"""gateway.trial_status and gateway.reset_trial."""

from apps.gateways.client import GatewayClient
from apps.gateways.client import operations as ops
from apps.steps.params import bad
from apps.steps.plugins.gateway.base import authenticate, gateway_step, run_credentials, secret_text


@gateway_step("gateway.trial_status")
def run(client, context, values: dict) -> dict:
    return ops.trial_status(client)


def _session_client(client: GatewayClient, context, values: dict) -> GatewayClient:
    """A client with a web session: resetting refuses API tokens (spec 4.1 #9)."""
    username, password = values.get("username"), values.get("password")
    if password is not None:
        session = GatewayClient(client.base_url, version=client.version)
        session.username, session.password = (
            username or getattr(password, "username", ""),
            secret_text(password),
        )
        return session
    if client.mode == "session":
        return client
    for credential in run_credentials(context, client.base_url):
        if credential.kind != "api_token":
            session = GatewayClient(client.base_url, version=client.version)
            authenticate(session, credential, username or "")
            return session
    raise bad(
        "Resetting the trial needs a web login of an administrator: give 'username' and "
        "'password', log in with gateway.login, or add a user-name/password credential."
    )


@gateway_step("gateway.reset_trial")
def run_reset(client, context, values: dict) -> dict:
    status = ops.trial_status(client)
    if values["only_if_expired"] and not status["expired"]:
        context.log(f"The trial still runs ({status['trial_seconds_left']} s left): not reset.")
        return {
            "status": "not_expired",
            "trial_seconds_left": status["trial_seconds_left"],
            "reset": False,
        }
    session = _session_client(client, context, values)
    session.bind(sleep=context.sleep, check=context.check)
    try:
        if session.is_81 and not session.session_open:
            session.login(session.username or "", session.password or "")
        after = ops.reset_trial(session)
    finally:
        if session is not client:
            session.close()
    return {"status": "reset", "trial_seconds_left": after["trial_seconds_left"], "reset": True}
