"""Gateway steps (``gateway.*``): the portal's gateway client driven by playbooks.

See ``docs/gateway-steps.md`` for how a step finds its gateway, auth modes and 8.1 limits.
"""
