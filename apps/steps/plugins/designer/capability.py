"""The ``desktop`` worker capability, as a designer step checks it on the worker it landed on.

Runs with designer steps are routed to the desktop workers by their declarations' ``requires``
(``STEP_CAPABILITY_QUEUES``, ``apps.executions.capabilities``). A worker declares the capability
with ``desktop`` in the comma-separated ``WORKER_CAPABILITIES`` setting or environment variable,
so a designer step that lands anywhere else still fails at once with the same explanation.
"""

import os

from django.conf import settings

from apps.steps.catalogue.common import DESKTOP

HINT = (
    "Start a Celery worker on a machine with a desktop session, consuming the 'designer' queue "
    f"with WORKER_CAPABILITIES={DESKTOP} (make worker-designer)."
)


def worker_capabilities() -> set[str]:
    """Capabilities this process declares (setting first, then the environment)."""
    declared = getattr(settings, "WORKER_CAPABILITIES", None)
    if declared is None:
        declared = os.environ.get("WORKER_CAPABILITIES", "")
    if isinstance(declared, str):
        declared = declared.split(",")
    return {item.strip().lower() for item in declared if item.strip()}


def desktop_problem() -> str | None:
    """Why designer steps cannot run in this process, or ``None`` when they can."""
    if DESKTOP not in worker_capabilities():
        return (
            f"This worker does not declare the '{DESKTOP}' capability designer steps need. {HINT}"
        )
    if not os.environ.get("DISPLAY"):
        return f"This worker declares '{DESKTOP}' but has no DISPLAY (no X session to drive)."
    return None
