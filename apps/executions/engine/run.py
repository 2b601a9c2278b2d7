"""The engine's entry point for the task."""

from apps.executions.engine.runner import Runner
from apps.executions.models import Execution


def execution_run(execution: Execution) -> str:
    """Run a claimed execution to its end; return the final status."""
    return Runner(execution).run()
