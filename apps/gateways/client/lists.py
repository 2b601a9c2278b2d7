"""8.3 list routes: the ``{items, metadata}`` envelope, read page by page."""

from apps.gateways.client.client import GatewayClient

PAGE_SIZE = 100


def items(body) -> list:
    """The ``items`` of an 8.3 list envelope."""
    return list(body.get("items") or []) if isinstance(body, dict) else list(body or [])


def list_all(client: GatewayClient, path: str, filters: dict | None = None) -> list:
    """Every item of an 8.3 list, page by page (``limit``/``offset``; ``limit=-1`` is not
    something a real gateway is known to honour). ``filters`` are ``field[op]`` query keys."""
    found: list = []
    while True:
        params = {**(filters or {}), "limit": str(PAGE_SIZE), "offset": str(len(found))}
        body = client.api_json("GET", path, params=params)
        page = items(body)
        found += page
        metadata = body.get("metadata") if isinstance(body, dict) else None
        matching = (metadata or {}).get("matching", (metadata or {}).get("total"))
        if len(page) < PAGE_SIZE or matching is None or len(found) >= int(matching):
            return found
