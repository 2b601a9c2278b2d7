"""The recorded gateway facts (``facts.json``) and a shape comparison for both sides."""

import json
from functools import cache
from pathlib import Path

FACTS_FILE = Path(__file__).with_name("facts.json")


@cache
def facts() -> dict[str, dict]:
    data = json.loads(FACTS_FILE.read_text(encoding="utf-8"))
    return {fact["name"]: fact for fact in data["facts"]}


def shape_errors(expected, actual, where: str = "body") -> list[str]:
    """How ``actual`` differs in shape from the recorded ``expected`` (keys, types, lists).

    ``None`` in a fact matches anything (nullable); an empty dict matches any object; a
    list's first element is compared when both lists have one.
    """
    if expected is None:
        return []
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{where}: expected an object, got {type(actual).__name__}"]
        errors = [f"{where}.{key}: missing" for key in expected if key not in actual]
        for key in expected:
            if key in actual:
                errors += shape_errors(expected[key], actual[key], f"{where}.{key}")
        return errors
    if isinstance(expected, list):
        if not isinstance(actual, list):
            return [f"{where}: expected a list, got {type(actual).__name__}"]
        if expected and actual:
            return shape_errors(expected[0], actual[0], f"{where}[0]")
        return []
    return _scalar_errors(expected, actual, where)


def _scalar_errors(expected, actual, where: str) -> list[str]:
    if isinstance(expected, bool) or isinstance(actual, bool):
        same = isinstance(expected, bool) and isinstance(actual, bool)
    elif isinstance(expected, int):
        same = isinstance(actual, int)
    elif isinstance(expected, float):
        same = isinstance(actual, int | float)
    else:
        same = isinstance(actual, type(expected))
    return [] if same else [f"{where}: expected {type(expected).__name__}, got {actual!r}"]
