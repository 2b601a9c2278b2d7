"""An httpx client for Ignition gateways: 8.3 REST API (token or web session) and 8.1 web login.

See ``docs/gateway-steps.md``. The client touches neither the ORM nor Django settings.
"""

from apps.gateways.client.client import API, GatewayClient, api_path
from apps.gateways.client.errors import (
    GatewayAuthError,
    GatewayError,
    GatewayTimeoutError,
    GatewayUnsupportedError,
)

__all__ = [
    "API",
    "GatewayAuthError",
    "GatewayClient",
    "GatewayError",
    "GatewayTimeoutError",
    "GatewayUnsupportedError",
    "api_path",
]
