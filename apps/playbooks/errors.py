"""Domain errors of the playbook catalogue."""

from apps.core.errors import ApplicationError

ISSUE_FIELDS = ("message", "file", "line", "column", "step_id", "key", "hint", "severity")


def issue_as_dict(issue) -> dict:
    """A loader ``ValidationIssue`` as a JSON-safe dict with a fixed set of keys."""
    return {name: getattr(issue, name, None) for name in ISSUE_FIELDS}


def plain_issue(
    message: str, file: str, *, severity: str = "error", key: str | None = None
) -> dict:
    """An issue about a whole file (no line), shaped like ``issue_as_dict``'s."""
    issue = dict.fromkeys(ISSUE_FIELDS)
    issue.update(message=message, file=file, severity=severity, key=key)
    return issue


class PlaybookInvalidError(ApplicationError):
    """The YAML does not pass the loader; ``extra["issues"]`` lists every problem."""

    def __init__(self, issues: list) -> None:
        dicts = [issue_as_dict(issue) for issue in issues]
        count = len(dicts)
        first = dicts[0]["message"] if dicts else "unknown problem"
        plural = "s" if count != 1 else ""
        super().__init__(
            f"The playbook is not valid ({count} problem{plural}; first: {first})",
            extra={"issues": dicts},
        )
        self.issues = dicts
