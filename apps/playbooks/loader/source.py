"""Safe YAML parsing that keeps the line and column of every key and value.

Defences: a size limit, no anchors/aliases (no "billion laughs"), a nesting limit, only the
plain YAML types (text, numbers, booleans, null, lists, mappings with text keys), no duplicate
keys. Dates stay text, so the parsed data is always JSON-safe.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

MAX_BYTES = 1_000_000
MAX_DEPTH = 40

Path = tuple[str | int, ...]

_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {f"{_TAG}{name}" for name in ("str", "int", "float", "bool", "null")}


class YamlError(Exception):
    """The text is not a YAML document this loader accepts."""

    def __init__(self, message: str, mark: Any = None, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.line = mark.line + 1 if mark is not None else None
        self.column = mark.column + 1 if mark is not None else None


class _SafeLoader(yaml.SafeLoader):
    """SafeLoader without aliases, with a nesting limit, and without implicit timestamps."""

    yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != f"{_TAG}timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        if self.check_event(AliasEvent):
            raise YamlError(
                "YAML aliases (*name) are not allowed",
                self.peek_event().start_mark,
                "Repeat the value instead of referring to an anchor (&name)",
            )
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise YamlError(
                f"The YAML is nested more than {MAX_DEPTH} levels deep",
                self.peek_event().start_mark,
            )
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


@dataclass
class Marks:
    """1-based (line, column) of each key and value, addressed by their path in the data."""

    keys: dict[Path, tuple[int, int]] = field(default_factory=dict)
    values: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def position(self, path: Path, *, at_key: bool = False) -> tuple[int | None, int | None]:
        """Return where ``path`` is written, falling back to the nearest enclosing node."""
        if at_key and path in self.keys:
            return self.keys[path]
        while True:
            if path in self.values:
                return self.values[path]
            if path in self.keys:
                return self.keys[path]
            if not path:
                return (None, None)
            path = path[:-1]


def _mark(node: Node) -> tuple[int, int]:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


@dataclass
class _Builder:
    loader: _SafeLoader
    marks: Marks
    problems: list[YamlError] = field(default_factory=list)

    def build(self, node: Node, path: Path) -> Any:
        self.marks.values[path] = _mark(node)
        if isinstance(node, MappingNode):
            return self._mapping(node, path)
        if isinstance(node, SequenceNode):
            self._check_tag(node, f"{_TAG}seq")
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        return self._scalar(node)

    def _check_tag(self, node: Node, expected: str) -> None:
        if node.tag != expected:
            raise YamlError(f"The YAML tag '{node.tag}' is not supported", node.start_mark)

    def _scalar(self, node: ScalarNode) -> Any:
        if node.tag not in _SCALAR_TAGS:
            raise YamlError(
                f"The YAML tag '{node.tag}' is not supported",
                node.start_mark,
                "Use plain text, numbers, booleans, lists and mappings",
            )
        try:
            value = self.loader.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, TypeError, OverflowError) as exc:
            raise YamlError(f"Invalid value '{node.value}': {exc}", node.start_mark) from None
        if isinstance(value, float) and not math.isfinite(value):
            raise YamlError(f"'{node.value}' is not a finite number", node.start_mark)
        return value

    def _mapping(self, node: MappingNode, path: Path) -> dict[str, Any]:
        self._check_tag(node, f"{_TAG}map")
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = self._key(key_node)
            if key is None:
                continue
            if key in result:
                first = self.marks.keys[(*path, key)][0]
                self.problems.append(
                    YamlError(
                        f"Duplicate key '{key}' (first written on line {first})",
                        key_node.start_mark,
                        "Keep one of them",
                    )
                )
                continue
            self.marks.keys[(*path, key)] = _mark(key_node)
            result[key] = self.build(value_node, (*path, key))
        return result

    def _key(self, node: Node) -> str | None:
        if node.tag == f"{_TAG}merge":
            raise YamlError(
                "YAML merge keys (<<) are not allowed", node.start_mark, "Write the keys out"
            )
        key = self._scalar(node) if isinstance(node, ScalarNode) else node
        if isinstance(key, str):
            return key
        shown = node.value if isinstance(node, ScalarNode) else "a list or mapping"
        self.problems.append(
            YamlError(
                f"Mapping keys must be text, found {shown!r}",
                node.start_mark,
                f"Quote it: '\"{shown}\":'" if isinstance(node, ScalarNode) else None,
            )
        )
        return None


def parse_yaml(text: str) -> tuple[Any, Marks, list[YamlError]]:
    """Parse one YAML document; raise ``YamlError`` for a fatal problem.

    Returns the data, the marks, and the non-fatal problems (duplicate or non-text keys).
    """
    size = len(text.encode("utf-8", errors="surrogatepass"))
    if size > MAX_BYTES:
        raise YamlError(f"The playbook is {size} bytes; the limit is {MAX_BYTES} bytes")
    try:
        return _parse(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = " ".join(p for p in (exc.context, exc.problem) if p)
        raise YamlError(f"Invalid YAML: {problem}", mark) from None
    except yaml.YAMLError as exc:
        raise YamlError(f"Invalid YAML: {exc}") from None


def _parse(text: str) -> tuple[Any, Marks, list[YamlError]]:
    loader = _SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise YamlError(
                "The playbook is empty", None, "Start with 'name:', 'version:' and 'steps:'"
            )
        builder = _Builder(loader, Marks())
        return builder.build(node, ()), builder.marks, builder.problems
    finally:
        loader.dispose()
