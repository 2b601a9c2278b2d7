"""The ``desktop`` worker capability: who declares it, how a launch finds out, which queue.

A worker declares it twice, on purpose: it consumes the ``designer`` Celery queue (so the
launch can see it with ``inspect().active_queues()``) and it runs with ``desktop`` in the
comma-separated ``WORKER_CAPABILITIES`` setting or environment variable (so a designer step
that lands anywhere else still fails at once with the same explanation).
"""

import os
from collections.abc import Iterable
from typing import Any

from django.conf import settings

from apps.steps.catalogue.common import DESKTOP

DESIGNER_QUEUE = "designer"
FAMILY_PREFIX = "designer."
INSPECT_TIMEOUT_S = 1.0
HINT = (
    f"Start a Celery worker on a machine with a desktop session, consuming the "
    f"'{DESIGNER_QUEUE}' queue with WORKER_CAPABILITIES={DESKTOP} (make worker-designer)."
)


def step_types(steps: Iterable[Any]) -> list[str]:
    """Types of step dicts (``{"type": ...}``) or planned rows (objects with ``.type``)."""
    return [step["type"] if isinstance(step, dict) else step.type for step in steps]


def needs_desktop(steps: Iterable[Any]) -> bool:
    return any(kind.startswith(FAMILY_PREFIX) for kind in step_types(steps))


def queue_for(steps: Iterable[Any]) -> str | None:
    """The queue a run of ``steps`` must go to: ``designer``, or ``None`` for the default."""
    return DESIGNER_QUEUE if needs_desktop(steps) else None


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


def designer_workers(app=None, timeout: float = INSPECT_TIMEOUT_S) -> list[str]:
    """Names of the running workers that consume the ``designer`` queue."""
    if app is None:
        from toolkit_project.celery import app
    try:
        replies = app.control.inspect(timeout=timeout).active_queues() or {}
    except Exception:  # noqa: BLE001 - an unreachable broker means no worker either
        return []
    return sorted(
        name
        for name, queues in replies.items()
        if any(queue.get("name") == DESIGNER_QUEUE for queue in queues or [])
    )


def designer_capability_problem(steps: Iterable[Any], app=None) -> str | None:
    """The launch-time refusal for a playbook with designer steps and no desktop worker."""
    types = sorted({kind for kind in step_types(steps) if kind.startswith(FAMILY_PREFIX)})
    if not types or designer_workers(app):
        return None
    return (
        f"No worker can run {', '.join(types)}: no running worker declares the '{DESKTOP}' "
        f"capability. {HINT}"
    )
