"""Literal values written in a playbook, typed by the rules every entry point shares.

A value that is not text is read as a launch and a running step read it (``apps.steps.values``):
``timeout: '5000'`` and ``force: 'yes'`` are fine, ``timeout: 5.5`` is not. Text must be written
as text: YAML reads ``version: 1.10`` as the number 1.1, so a number or true/false where text is
expected is refused, with a hint to quote it.
"""

from __future__ import annotations

from typing import Any

from apps.steps.schema import TEXT_TYPES, ParamType, value_matches
from apps.steps.values import value_convert

QUOTE_HINT = "Quote it to make it text"
_TYPE_NAMES = {
    str: "text",
    int: "an integer",
    float: "a number",
    bool: "a boolean",
    list: "a list",
    dict: "a mapping",
    type(None): "empty",
}
TYPE_WORDS = {
    "string": "text",
    "selector": "a selector (text)",
    "file": "a file path (text)",
    "credential": "a credential name (text)",
    "integer": "an integer",
    "float": "a number",
    "boolean": "true or false",
    "list": "a list",
    "dict": "a mapping",
}


def describe(value: Any) -> str:
    """Name the YAML type of ``value`` for messages ("text", "a list", ...)."""
    return _TYPE_NAMES.get(type(value), type(value).__name__)


def literal_value(kind: str, value: Any) -> Any:
    """``value`` typed as ``kind``; ``ValueError`` with the phrase that follows the name.

    Text kinds keep the value as written (``QUOTE_HINT`` helps with a refusal)."""
    if kind not in TEXT_TYPES:
        return value_convert(kind, value)
    if not value_matches(ParamType(kind), value):
        raise ValueError(f"must be {TYPE_WORDS[kind]}, found {describe(value)}")
    return value


def quote_hint(kind: str) -> str | None:
    """The hint for a refused literal of ``kind``: quoting helps text kinds only."""
    return QUOTE_HINT if kind in TEXT_TYPES else None
