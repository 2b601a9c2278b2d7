"""JSON from users, read with a nesting limit: a deeper document is refused, never a crash.

Python's parser recurses once per nested list or object, so a body such as ``[[[[…]]]]`` a
hundred thousand levels deep would exhaust the interpreter's stack. No portal document comes
near the limit; anything deeper is refused with a message naming it.
"""

import json
from typing import Any

JSON_MAX_DEPTH = 100


class JsonTooDeepError(ValueError):
    """The JSON nests lists or objects more than ``JSON_MAX_DEPTH`` levels deep."""

    def __init__(self) -> None:
        super().__init__(
            f"JSON nested deeper than {JSON_MAX_DEPTH} levels: use at most {JSON_MAX_DEPTH} "
            "nested lists or objects."
        )


def json_loads_bounded(text: str | bytes, **options: Any) -> Any:
    """``json.loads`` that raises ``JsonTooDeepError`` beyond ``JSON_MAX_DEPTH`` levels."""
    try:
        value = json.loads(text, **options)
    except RecursionError:
        raise JsonTooDeepError() from None
    json_check_depth(value)
    return value


def json_check_depth(value: Any) -> None:
    """Raise ``JsonTooDeepError`` if ``value`` nests lists or dicts too deeply."""
    containers = [value] if isinstance(value, dict | list) else []
    depth = 0
    while containers:
        depth += 1
        if depth > JSON_MAX_DEPTH:
            raise JsonTooDeepError()
        containers = [
            child
            for container in containers
            for child in (container.values() if isinstance(container, dict) else container)
            if isinstance(child, dict | list)
        ]
