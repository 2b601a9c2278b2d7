"""Vault credentials as the engine hands them to gateway steps (the harness is the browser one)."""

from apps.credentials.services import ResolvedCredential
from tests.gateways.client.sim import TOKEN


def credential(kind: str = "username_password", gateway_url: str = "", **fields):
    """A decrypted vault credential as the engine hands it to steps."""
    values = {"username": "admin", "secret": "password"}
    if kind == "api_token":
        values = {"username": "", "secret": TOKEN}
    values.update(fields)
    return ResolvedCredential(
        name=f"{kind}-credential",
        kind=kind,
        gateway_url=gateway_url,
        description="",
        **values,
    )
