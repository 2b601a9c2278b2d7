"""Small helpers for loader tests."""

from textwrap import dedent

import pytest

from apps.playbooks.loader import PlaybookValidationError, load_playbook

HEADER = 'name: Demo\nversion: "1.0"\n'


def text(source: str) -> str:
    """Dedent a YAML literal written inside a test."""
    return dedent(source).lstrip("\n")


def with_steps(steps: str, parameters: str = "") -> str:
    """Return a playbook with the given (dedented) parameters and steps blocks."""
    body = HEADER
    if parameters:
        body += "parameters:\n" + _indent(parameters)
    return body + "steps:\n" + _indent(steps)


def _indent(block: str) -> str:
    return "".join(f"  {line}\n" for line in text(block).splitlines())


def errors(source: str, **kwargs) -> list[str]:
    """Load ``source`` expecting failure; return the errors as strings."""
    with pytest.raises(PlaybookValidationError) as excinfo:
        load_playbook(source, source="pb.yaml", **kwargs)
    assert str(excinfo.value) == "\n".join(str(i) for i in excinfo.value.issues)
    return [str(issue) for issue in excinfo.value.issues]


def warnings(source: str, **kwargs) -> list[str]:
    """Load ``source`` expecting success; return the warnings as strings."""
    return [str(w) for w in load_playbook(source, source="pb.yaml", **kwargs).warnings]
