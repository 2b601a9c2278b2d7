"""The errors a step handler raises, and the one the registry raises for a type that cannot run."""


class StepError(Exception):
    """A step failed for a reason worth showing as is; ``retryable`` marks transient causes."""

    def __init__(self, message: str, *, retryable: bool = True) -> None:
        super().__init__(message)
        self.retryable = retryable


class NoHandlerError(Exception):
    """A declared step type whose handler cannot be imported or called in this process."""
