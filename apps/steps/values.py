"""Parameter values typed from what people write: one set of rules for every entry point.

A value typed into a form arrives as text; one written in YAML or sent as JSON arrives typed.
Either way the same conversions apply, whether a run is launched, a step runs, a playbook is
saved or a form is read:

* ``integer``: a whole number: an integer, a number with nothing after the point (``5.0``) or
  text of digits with an optional sign (``" -12 "``); never true/false, ``1.5`` or ``"5.0"``.
* ``float``: a finite number, or text that reads as one (``"1.5"``, ``"2"``); never true/false.
* ``boolean``: true or false, or one of the words in ``TRUE_WORDS`` / ``FALSE_WORDS`` (any case,
  surrounding spaces ignored).
* ``list`` / ``dict``: a list / mapping, or JSON text of one (``"[1, 2]"``), read under the
  nesting limit of ``apps.core.json_input``.
* text kinds (``string``, ``credential``, ``file``, ``selector``): text, or a number, which
  becomes its text; never true/false, a list or a mapping.
* ``any``: the value as given.

A value that cannot take the type raises ``ValueError`` whose message is a phrase such as
``must be a whole number, not 'abc'``; each caller puts the parameter's name (and where it is)
in front. Rules of one entry point (enums, minimums, paths, credential names) stay with it.
"""

import json
import math
import re
from collections.abc import Callable
from typing import Any

from apps.core.json_input import JsonTooDeepError, json_check_depth, json_loads_bounded
from apps.steps.schema import ParamType

TRUE_WORDS = frozenset({"true", "yes", "on", "1"})
FALSE_WORDS = frozenset({"false", "no", "off", "0"})
SHOWN_MAX_CHARS = 40  # longer text is cut in messages
_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")
_NOUNS: dict[type, str] = {list: "a list", dict: "a mapping", type(None): "nothing"}
_JSON_EXAMPLES: dict[type, str] = {list: "[1, 2]", dict: '{"key": "value"}'}


def value_convert(kind: str, value: Any) -> Any:
    """``value`` as a value of ``kind`` (a ``ParamType``; another kind is read as text).

    ``ValueError`` says why it cannot be, as a phrase to follow the parameter's name.
    """
    if kind == ParamType.ANY:
        return value
    convert: Callable[[Any], Any] = _CONVERTERS.get(kind, to_text)
    return convert(value)


def items_convert(kind: str, values: list[Any]) -> list[Any]:
    """Every item of ``values`` as a value of ``kind``; the phrase names the item (from 1)."""
    converted = []
    for index, item in enumerate(values, start=1):
        try:
            converted.append(value_convert(kind, item))
        except ValueError as exc:
            raise ValueError(f"item {index} {exc}") from None
    return converted


def to_integer(value: Any) -> int:
    """A whole number: an int, an integral float or text of digits with an optional sign."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and _WHOLE_NUMBER.fullmatch(value.strip()):
        try:
            return int(value.strip())
        except ValueError:
            pass  # more digits than Python reads as a number
    raise ValueError(f"must be a whole number, not {value_shown(value)}")


def to_float(value: Any) -> float:
    """A finite number, given as a number or as text."""
    if isinstance(value, int | float | str) and not isinstance(value, bool):
        try:
            number = float(value)
        except (ValueError, OverflowError):
            number = math.nan
        if math.isfinite(number):
            return number
    raise ValueError(f"must be a number, not {value_shown(value)}")


def to_boolean(value: Any) -> bool:
    """True or false, or one of the words yes/no, on/off, 1/0 (as text or as 1 and 0)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str | int):
        word = str(value).strip().lower()
        if word in TRUE_WORDS or word in FALSE_WORDS:
            return word in TRUE_WORDS
    raise ValueError(f"must be true or false, not {value_shown(value)}")


def to_list(value: Any) -> list[Any]:
    """A list, or JSON text of one."""
    converted: list[Any] = _container(value, list)
    return converted


def to_dict(value: Any) -> dict[str, Any]:
    """A mapping, or JSON text of one."""
    converted: dict[str, Any] = _container(value, dict)
    return converted


def to_text(value: Any) -> str:
    """Text; a number becomes its text."""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise ValueError(f"must be text, not {value_shown(value)}")


def _container(value: Any, expected: type) -> Any:
    noun = _NOUNS[expected]
    if isinstance(value, str):
        try:
            value = json_loads_bounded(value)
        except JsonTooDeepError:
            raise
        except ValueError:
            example = _JSON_EXAMPLES[expected]
            raise ValueError(
                f"must be {noun} written as JSON (e.g. {example}), not {value_shown(value)}"
            ) from None
    if not isinstance(value, expected):
        raise ValueError(f"must be {noun}, not {value_shown(value)}")
    json_check_depth(value)
    return value


def value_shown(value: Any) -> str:
    """How a refused value appears in a message: text quoted and cut, numbers as written."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        cut = value if len(value) <= SHOWN_MAX_CHARS else value[:SHOWN_MAX_CHARS] + "…"
        return f"'{cut}'"
    if isinstance(value, int | float):
        return repr(value)
    return _NOUNS.get(type(value), type(value).__name__)


def value_as_text(value: Any, *, indent: int | None = None) -> str:
    """The text a form shows for a typed value; ``value_convert`` reads it back."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, indent=indent, ensure_ascii=False)
    return str(value)


_CONVERTERS: dict[str, Callable[[Any], Any]] = {
    ParamType.INTEGER: to_integer,
    ParamType.FLOAT: to_float,
    ParamType.BOOLEAN: to_boolean,
    ParamType.LIST: to_list,
    ParamType.DICT: to_dict,
}
