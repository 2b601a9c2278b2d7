"""gateway.login and gateway.logout."""

from apps.credentials.services import ResolvedCredential
from apps.steps.plugins.gateway.base import API_TOKEN, authenticate, gateway_step


@gateway_step("gateway.login")
def run(client, context, values: dict) -> dict:
    """Log in: an API-token credential becomes the token, anything else a web session."""
    password = values["password"]
    if isinstance(password, ResolvedCredential) and password.kind == API_TOKEN:
        authenticate(client, password)
        client.api("GET", "gateway-info")  # a wrong token fails here, not in a later step
        context.log(f"Using API token credential '{password.name}' for {client.base_url}.")
        return {"status": "logged_in", "mode": "token", "version": client.version}
    secret = password.secret if isinstance(password, ResolvedCredential) else password
    client.login(values["username"], secret)
    context.log(f"Logged in to {client.base_url} as {values['username']} (web session).")
    return {"status": "logged_in", "mode": "session", "version": client.version}


@gateway_step("gateway.logout")
def run_logout(client, context, values: dict) -> dict:
    """Best effort: the portal forgets the login; the gateway may keep its session."""
    note = client.logout()
    context.log(note)
    return {"status": "logged_out", "note": note}
