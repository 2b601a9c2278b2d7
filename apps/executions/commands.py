"""The commands a person sends to a live run, and why a run or its running step must stop.

Their values are what the control channel publishes, control events and audit entries store and
the run page's script reads, so they never change.
"""

from enum import StrEnum


class ExecutionCommand(StrEnum):
    CANCEL = "cancel"
    PAUSE = "pause"
    RESUME = "resume"
    SKIP = "skip"
    SKIP_BACK = "skip_back"
    DEBUG = "debug"

    @property
    def label(self) -> str:
        """As a person says it: "skip back"."""
        return self.value.replace("_", " ")


class StopReason(StrEnum):
    """Why the whole run was told to stop (``RunControl.cancel_reason``)."""

    CANCEL = "cancel"
    RUN_TIMEOUT = "run_timeout"
    WORKER_STOPPING = "worker_stopping"


class Interruption(StrEnum):
    """Why the running step must stop now (``StepInterrupted.reason``)."""

    CANCEL = "cancel"
    SKIP = "skip"
    SKIP_BACK = "skip_back"
    TIMEOUT = "timeout"
