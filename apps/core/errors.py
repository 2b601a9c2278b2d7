"""Domain errors raised by services and turned into HTTP answers in one place."""


class ApplicationError(Exception):
    """A request that the domain refuses; ``status`` is the HTTP status it maps to."""

    status = 400

    def __init__(self, message: str, *, extra: dict | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra or {}


class NotFoundError(ApplicationError):
    status = 404


class PermissionDeniedError(ApplicationError):
    status = 403


class ConflictError(ApplicationError):
    """The object is not in a state that allows the action (e.g. cancelling a finished run)."""

    status = 409
