"""The engine's entry point for the task."""

from django.conf import settings

from apps.core.database import database_patience
from apps.core.log_context import run_logging
from apps.core.log_masking import masking_logs
from apps.executions.engine.runner import Runner
from apps.executions.events import events_batching
from apps.executions.models import Execution


def execution_run(execution: Execution) -> str:
    """Run a claimed execution to its end; return the final status.

    Every log line of this process is masked with the run's secrets while it runs and carries
    the run's id (and its current step's); the run's writes wait out a database restart (up to
    DATABASE_OUTAGE_SECONDS); its events are stored and sent in batches (event_writer.py), all
    of them before its final status.
    """
    with run_logging(execution.pk):
        runner = Runner(execution)
        with (
            masking_logs(runner.masker),
            database_patience(settings.DATABASE_OUTAGE_SECONDS),
            events_batching(execution.pk),
        ):
            return runner.run()
