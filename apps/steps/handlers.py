"""Which function runs each step type: an explicit map, imported lazily.

A handler is ``run(context, params) -> dict`` (outputs). It raises ``StepError`` for a failure
the user can act on. ``playbook.run`` is not here: composition is the engine's own work.
"""

import importlib
from collections.abc import Callable
from typing import Any

HANDLERS: dict[str, str] = {
    "utility.sleep": "apps.steps.plugins.utility.sleep.run",
    "utility.log": "apps.steps.plugins.utility.log.run",
    "utility.set_variable": "apps.steps.plugins.utility.set_variable.run",
    "utility.python": "apps.steps.plugins.utility.python.run",
}


class StepError(Exception):
    """A step failed for a reason worth showing as is; ``retryable`` marks transient causes."""

    def __init__(self, message: str, *, retryable: bool = True) -> None:
        super().__init__(message)
        self.retryable = retryable


class NoHandlerError(Exception):
    pass


def get_handler(step_type: str) -> Callable[[Any, dict], dict]:
    """The run function of ``step_type``; ``NoHandlerError`` when this worker has none."""
    dotted = HANDLERS.get(step_type)
    if dotted is None:
        raise NoHandlerError(
            f"No handler for step type '{step_type}' on this worker: the step type is declared "
            "but cannot run here yet."
        )
    module_name, _, function_name = dotted.rpartition(".")
    return getattr(importlib.import_module(module_name), function_name)
