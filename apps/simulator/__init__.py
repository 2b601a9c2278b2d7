"""A stand-in Ignition 8.1 / 8.3 gateway (spec: ignition-gateway.md section 9).

The simulator is a small Starlette application with in-memory state. It imports nothing from
the portal and uses no database, so tests can build isolated instances with ``create_app``.
"""
