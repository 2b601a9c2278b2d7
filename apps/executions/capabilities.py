"""Which queue a run goes to, and whether a running worker can take it, from its step types.

A step type declares the worker capabilities it needs (``requires``). ``STEP_CAPABILITY_QUEUES``
maps each capability that only some workers have to the Celery queue those workers consume
(``desktop`` → ``designer``); a worker with it runs with the capability in
``WORKER_CAPABILITIES`` and consumes that queue. A run goes to the queue its steps (its own and
its literal children's) need, else to ``executions``. A launch is refused when no running worker
consumes that queue, or when its steps need two such queues (no single worker takes them all).
"""

from collections.abc import Iterable
from typing import Any

from django.conf import settings

from apps.steps.registry import UnknownStepTypeError, get_step_type

DEFAULT_QUEUE = "executions"
INSPECT_TIMEOUT_S = 1.0


def step_types(steps: Iterable[Any]) -> list[str]:
    """Types of step dicts (``{"type": ...}``) or planned rows (objects with ``.type``)."""
    return [step["type"] if isinstance(step, dict) else step.type for step in steps]


def routed_capabilities(steps: Iterable[Any]) -> dict[str, list[str]]:
    """The capabilities of ``steps`` that ``STEP_CAPABILITY_QUEUES`` routes, with the step
    types that need each (sorted)."""
    queues = settings.STEP_CAPABILITY_QUEUES
    needed: dict[str, set[str]] = {}
    for kind in set(step_types(steps)):
        try:
            requires = get_step_type(kind).requires
        except UnknownStepTypeError:
            continue  # the launch validation names it; here it needs nothing
        for capability in requires:
            if capability in queues:
                needed.setdefault(capability, set()).add(kind)
    return {capability: sorted(kinds) for capability, kinds in sorted(needed.items())}


def run_queue(steps: Iterable[Any]) -> str:
    """The queue a run of ``steps`` goes to."""
    queues = sorted({settings.STEP_CAPABILITY_QUEUES[c] for c in routed_capabilities(steps)})
    return queues[0] if queues else DEFAULT_QUEUE


def queue_workers(queue: str, app=None, timeout: float = INSPECT_TIMEOUT_S) -> list[str]:
    """Names of the running workers that consume ``queue`` (none when the broker is down)."""
    if app is None:
        from toolkit_project.celery import app
    try:
        replies = app.control.inspect(timeout=timeout).active_queues() or {}
    except Exception:  # noqa: BLE001 - an unreachable broker means no worker either
        return []
    return sorted(
        name
        for name, queues in replies.items()
        if any(entry.get("name") == queue for entry in queues or [])
    )


def capability_problem(steps: Iterable[Any], app=None) -> str | None:
    """Why no running worker can take a run of ``steps``, or ``None`` when one can."""
    needed = routed_capabilities(steps)
    if not needed:
        return None
    queues = settings.STEP_CAPABILITY_QUEUES
    if len({queues[capability] for capability in needed}) > 1:
        parts = [f"{', '.join(kinds)} ('{cap}')" for cap, kinds in needed.items()]
        return (
            f"No single worker can run {' and '.join(parts)}: they need different workers. "
            "Split the playbook."
        )
    capability, kinds = next(iter(needed.items()))
    queue = queues[capability]
    if queue_workers(queue, app):
        return None
    return (
        f"No worker can run {', '.join(kinds)}: no running worker declares the '{capability}' "
        f"capability. Start a Celery worker with WORKER_CAPABILITIES={capability} that "
        f"consumes the '{queue}' queue (docs/plugins.md#capabilities)."
    )
