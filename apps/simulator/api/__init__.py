"""The 8.3 REST API under /data/api/v1 (spec 1.2)."""

from ..profiles import has_tag_api
from . import diagnostics, info, modules, projects, system

ROUTES = [*info.ROUTES, *modules.ROUTES, *projects.ROUTES, *system.ROUTES, *diagnostics.ROUTES]


def routes_for_version(version: str) -> list:
    """The REST routes a gateway of ``version`` has (8.3.0 has no tag export/import)."""
    if has_tag_api(version):
        return ROUTES
    return [route for route in ROUTES if route.tag != "tags"]
