"""The engine's entry point for the task."""

from apps.core.log_context import run_logging
from apps.executions.engine.log_masking import masking_logs
from apps.executions.engine.runner import Runner
from apps.executions.models import Execution


def execution_run(execution: Execution) -> str:
    """Run a claimed execution to its end; return the final status.

    Every log line of this process is masked with the run's secrets while it runs, and carries
    the run's id (and its current step's).
    """
    with run_logging(execution.pk):
        runner = Runner(execution)
        with masking_logs(runner.masker):
            return runner.run()
