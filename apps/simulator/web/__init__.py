"""Web UI stubs for the shipped playbooks: 8.3 under /app, 8.1 under /web (spec 4.2, 9.4)."""
