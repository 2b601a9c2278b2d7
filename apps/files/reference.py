"""How a ``file`` parameter names a library file: ``{"file": <id or name>}``, optionally with
``"version": <number>`` (without it, the latest version when the run is launched).

Any other value of a ``file`` parameter is text: a path on the worker, as before.
"""

from typing import Any

KEYS = frozenset({"file", "version"})
ID_LIMIT = 2**63  # ids are 64-bit
EXAMPLE = '{"file": 12} or {"file": "demo.modl", "version": 2}'


def reference_parse(value: dict) -> dict[str, Any]:
    """The library reference ``value`` as ``{"file": id|name[, "version": n]}``, or
    ``ValueError`` saying what is wrong with it."""
    unknown = sorted(str(key) for key in value if key not in KEYS)
    if unknown or "file" not in value:
        raise ValueError(f"must name a library file as {EXAMPLE}, not {_shown(value)}")
    chosen = value["file"]
    if isinstance(chosen, str):
        chosen = chosen.strip()
    valid_id = isinstance(chosen, int) and not isinstance(chosen, bool) and 0 < chosen < ID_LIMIT
    if not valid_id and not (isinstance(chosen, str) and chosen):
        raise ValueError(f"must name a library file by its id or name, not {value['file']!r}")
    reference: dict[str, Any] = {"file": chosen}
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
