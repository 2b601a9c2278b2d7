"""How a ``file`` parameter names a library file: ``{"file": <id or name>}``, optionally with
``"version": <number>`` (without it, the latest version when the run is launched).

Any other value of a ``file`` parameter is text: a path on the worker, as before.
"""

from typing import Any

KEYS = frozenset({"file", "version"})
EXAMPLE = '{"file": 12} or {"file": "demo.modl", "version": 2}'


def reference_parse(value: dict) -> dict[str, Any]:
    """The library reference ``value`` as ``{"file": id|name[, "version": n]}``, or
    ``ValueError`` saying what is wrong with it."""
    unknown = sorted(str(key) for key in value if key not in KEYS)
    if unknown or "file" not in value:
        raise ValueError(f"must name a library file as {EXAMPLE}, not {_shown(value)}")
    chosen = value["file"]
    if isinstance(chosen, bool) or not isinstance(chosen, int | str) or chosen in ("", 0):
        raise ValueError(f"must name a library file by its id or name, not {chosen!r}")
    if isinstance(chosen, int) and chosen < 0:
        raise ValueError(f"must name a library file by its id or name, not {chosen!r}")
    reference: dict[str, Any] = {"file": chosen.strip() if isinstance(chosen, str) else chosen}
    version = value.get("version")
    if version is not None:
        if isinstance(version, bool) or not isinstance(version, int) or version < 1:
            raise ValueError(f"'version' must be a version number (1, 2 ...), not {version!r}")
        reference["version"] = version
    return reference


def is_reference(value: Any) -> bool:
    return isinstance(value, dict) and "file" in value


def _shown(value: dict) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."
