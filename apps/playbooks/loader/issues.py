"""Validation issues, the error that carries them, and the collector the checks report to."""

from __future__ import annotations

from dataclasses import dataclass, field

from apps.playbooks.loader.source import Marks, Path


@dataclass(frozen=True)
class ValidationIssue:
    """One problem found in a playbook, located as precisely as the YAML allows."""

    message: str
    file: str
    line: int | None
    column: int | None
    step_id: str | None
    key: str | None
    hint: str | None
    severity: str  # "error" | "warning"

    def __str__(self) -> str:
        location = self.file
        if self.line is not None:
            location += f":{self.line}"
            location += f":{self.column}" if self.column is not None else ""
        context = []
        if self.step_id is not None:
            context.append(f"step '{self.step_id}'")
        if self.key is not None:
            context.append(f"key '{self.key}'")
        prefix = f"{location}: " + (", ".join(context) + ": " if context else "")
        text = prefix + self.message
        if self.hint:
            text += f". {self.hint}"
        return text


class PlaybookValidationError(Exception):
    """The playbook cannot be loaded; ``issues`` holds every error (warnings are separate)."""

    def __init__(
        self, issues: list[ValidationIssue], warnings: list[ValidationIssue] | None = None
    ) -> None:
        self.issues = list(issues)
        self.warnings = list(warnings or [])
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(issue) for issue in self.issues)


def format_key(path: Path) -> str | None:
    """Render a path inside a mapping as ``parameters.manifest[0].action``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or None


@dataclass
class Collector:
    """Collects issues with their location; ``lenient`` turns ignorable keys into warnings."""

    source: str
    marks: Marks
    lenient: bool = False
    errors: list[ValidationIssue] = field(default_factory=list)
    warnings: list[ValidationIssue] = field(default_factory=list)

    def issue(
        self,
        message: str,
        path: Path,
        *,
        hint: str | None = None,
        step: tuple[str | None, Path] | None = None,
        at_key: bool = False,
        severity: str = "error",
        line_offset: int = 0,
    ) -> None:
        """Record an issue at ``path``; ``step`` is (step id, path of the step) for its key.

        ``line_offset`` points at a line inside a multi-line value (a script).
        """
        line, column = self.marks.position(path, at_key=at_key)
        if line_offset and line is not None:
            line, column = line + line_offset, None
        step_id, key = None, format_key(path)
        if step is not None:
            step_id, step_path = step
            key = format_key(path[len(step_path) :])
        issue = ValidationIssue(message, self.source, line, column, step_id, key, hint, severity)
        (self.errors if severity == "error" else self.warnings).append(issue)

    def error(self, message: str, path: Path, **kwargs) -> None:
        """Record an error."""
        self.issue(message, path, **kwargs)

    def ignorable(self, message: str, path: Path, **kwargs) -> bool:
        """Record a key the originals ignored: an error, or a warning in lenient mode.

        Returns True when the key is to be dropped (lenient mode).
        """
        if self.lenient:
            self.issue(message + " (ignored)", path, severity="warning", at_key=True, **kwargs)
            return True
        self.issue(message, path, at_key=True, **kwargs)
        return False
