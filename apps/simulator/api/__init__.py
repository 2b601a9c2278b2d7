"""The 8.3 REST API under /data/api/v1 (spec 1.2)."""

from . import info, modules, projects, system

ROUTES = [*info.ROUTES, *modules.ROUTES, *projects.ROUTES, *system.ROUTES]
