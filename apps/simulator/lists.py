"""The 8.3 list envelope and its query parameters: limit, offset, sortBy, search, and filters
given as query keys ``field[op]=value`` (``?id[eq]=com.x``). A real 8.3 gateway has no
``filter=`` parameter, so a ``filter`` key is an unknown parameter and is ignored."""

import re
from collections.abc import Mapping, Sequence
from typing import Any

_SORT = re.compile(r"^(asc|desc)\((\w+)\)$")
OPS = ("eq", "ne", "cn", "sw", "ew", "gt", "gte", "lt", "lte", "rgx")
_FILTER = re.compile(r"^(\w+)\[(eq|ne|cn|sw|ew|gt|gte|lt|lte|rgx)\]=(.*)$", re.DOTALL)
_FILTER_KEY = re.compile(r"^(\w+)\[(\w*)\]$")


class ListQueryError(ValueError):
    pass


def _text(value: Any) -> str:
    return str(value).lower()


def _compare(op: str, value: Any, wanted: str) -> bool:
    if op in ("gt", "gte", "lt", "lte"):
        try:
            left, right = float(value), float(wanted)
        except (TypeError, ValueError):
            left, right = _text(value), wanted.lower()
        return {
            "gt": left > right,
            "gte": left >= right,
            "lt": left < right,
            "lte": left <= right,
        }[op]
    text, wanted_text = _text(value), wanted.lower()
    checks = {
        "eq": text == wanted_text,
        "ne": text != wanted_text,
        "cn": wanted_text in text,
        "sw": text.startswith(wanted_text),
        "ew": text.endswith(wanted_text),
    }
    if op == "rgx":
        return re.search(wanted, str(value)) is not None
    return checks[op]


def _matches_search(item: Any, terms: list[str]) -> bool:
    values = item.values() if isinstance(item, Mapping) else [item]
    haystack = " ".join(_text(v) for v in values)
    return all(term in haystack for term in terms)


def _field(item: Any, name: str) -> Any:
    return item.get(name) if isinstance(item, Mapping) else item


def _sort_key(value: Any) -> tuple:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return (0, value, "")
    return (1, 0, _text(value))


def _int(params: Mapping[str, str], name: str, default: int) -> int:
    try:
        return int(float(params.get(name, default)))
    except ValueError as exc:
        raise ListQueryError(f"{name} must be a number") from exc


def query_filters(pairs: Sequence[tuple[str, str]]) -> list[str]:
    """``field[op]=value`` expressions from query keys; an unknown operator is an error."""
    filters = []
    for key, value in pairs:
        match = _FILTER_KEY.match(key)
        if match is None:
            continue
        if match.group(2) not in OPS:
            raise ListQueryError(f"unknown filter operator in {key!r}: use one of {', '.join(OPS)}")
        filters.append(f"{key}={value}")
    return filters


def paginate(items: Sequence[Any], params: Mapping[str, str], filters: list[str]) -> dict:
    """Apply the list query parameters and wrap the result in ``{items, metadata}``."""
    selected = list(items)
    for expression in filters:
        match = _FILTER.match(expression)
        if not match:
            raise ListQueryError(f"invalid filter {expression!r}")
        name, op, wanted = match.groups()
        selected = [i for i in selected if _compare(op, _field(i, name), wanted)]
    terms = params.get("search", "").lower().split()
    selected = [i for i in selected if _matches_search(i, terms)]
    if params.get("sortBy"):
        sort = _SORT.match(params["sortBy"])
        if not sort:
            raise ListQueryError("sortBy must look like asc(field) or desc(field)")
        direction, name = sort.groups()
        selected.sort(key=lambda i: _sort_key(_field(i, name)), reverse=direction == "desc")
    limit, offset = _int(params, "limit", -1), _int(params, "offset", 0)
    page = selected[offset:] if limit < 0 else selected[offset : offset + limit]
    return {
        "items": page,
        "metadata": {
            "total": len(items),
            "matching": len(selected),
            "limit": limit,
            "offset": offset,
        },
    }
