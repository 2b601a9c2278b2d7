"""The address of the client behind a request, believing ``X-Forwarded-For`` only from proxies
named in ``TRUSTED_PROXIES``.

Lock-out (django-axes), API throttles and anything else that records who made a request use
this one function, so a client cannot pick its own address by sending the header itself.
Daphne (run without ``--proxy-headers``) puts the TCP peer of the connection in
``REMOTE_ADDR``; behind a reverse proxy that peer is the proxy.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def client_address(request: HttpRequest) -> str:
    """The connecting address, or, when that is a trusted proxy, the right-most address in
    ``X-Forwarded-For`` that is not itself a trusted proxy (entries to its left were written by
    the client and may be anything)."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = trusted_proxies(tuple(settings.TRUSTED_PROXIES))
    if not proxies or not _is_trusted(remote, proxies):
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    nearest = remote
    for hop in reversed([hop for hop in hops if hop]):
        if not _is_address(hop):
            # A proxy always appends a real address: anything else came from the client.
            return nearest
        if not _is_trusted(hop, proxies):
            return hop
        nearest = hop
    return nearest


@lru_cache(maxsize=8)
def trusted_proxies(entries: tuple[str, ...]) -> tuple[Network, ...]:
    """Settings entries (addresses or CIDR networks, checked at start) as networks."""
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries)


def address_in_networks(address: str, entries: tuple[str, ...]) -> bool:
    """Whether ``address`` is one of ``entries`` (addresses or CIDR networks, as in settings)."""
    return _is_trusted(address, trusted_proxies(entries))


def _is_address(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def _is_trusted(address: str, proxies: tuple[Network, ...]) -> bool:
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(parsed in network for network in proxies)
