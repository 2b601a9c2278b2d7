"""Secret parameters: ``secret: true`` on a string, and names that look like passwords.

A secret parameter's value is stored encrypted, never shown back and masked in everything a
run records. A parameter whose name looks like a password (``password``, ``admin_password``,
``apiKey`` …) but that is neither a ``credential`` nor ``secret: true`` is an error; lenient
mode, for the originals' playbooks, makes it ``secret: true`` with a warning instead.
"""

from __future__ import annotations

import re
from typing import Any

from apps.playbooks.loader.issues import Collector
from apps.playbooks.loader.source import Path

SECRET_WORDS = ("password", "passwd", "pwd", "secret", "token", "apikey")
USE_INSTEAD = (
    "Use a 'credential' parameter (type: credential) naming a vault credential, or add "
    "'secret: true' so the value is stored encrypted and masked"
)


def name_looks_secret(name: str) -> bool:
    """``admin_password``, ``Admin-Password``, ``apiKey``: yes; ``api_key_name``: no."""
    folded = re.sub(r"[-_]", "", name.lower())
    return folded.endswith(SECRET_WORDS)


def definition_is_secret(definition: dict[str, Any]) -> bool:
    """A loaded parameter definition whose values are secrets (also for versions stored
    before ``secret`` existed, whose password-like string parameters were never marked)."""
    if definition.get("secret") is True:
        return True
    kind = definition.get("type", "string")
    return kind == "string" and name_looks_secret(str(definition.get("name", "")))


def check_secret(item: dict, name: str, param_type: str, path: Path, c: Collector) -> bool:
    """Check ``secret`` of one parameter definition; return whether the parameter is secret."""
    declared = item.get("secret", False)
    if not isinstance(declared, bool):
        c.error("'secret' must be true or false", (*path, "secret"))
        return False
    if declared and param_type != "string":
        c.error(
            f"Only string parameters can be secret, not {param_type}",
            (*path, "secret"),
            hint="Use type: string, or a 'credential' parameter for a vault credential",
        )
        return False
    if declared and item.get("default") not in (None, ""):
        c.error(
            "A secret parameter cannot have a default",
            (*path, "default"),
            hint="The YAML would hold it in clear: remove the default and give the value at "
            "launch, or keep it in the credential vault",
        )
        return True
    if declared or param_type == "credential" or not name_looks_secret(name):
        return declared
    return _undeclared(item, name, param_type, path, c)


def _undeclared(item: dict, name: str, param_type: str, path: Path, c: Collector) -> bool:
    message = f"Parameter '{name}' looks like a secret but is a plain {param_type}"
    if c.lenient and param_type == "string":
        dropped = "; its default is dropped" if item.get("default") not in (None, "") else ""
        c.issue(
            message + f" (treated as secret: true{dropped})",
            (*path, "name"),
            hint=USE_INSTEAD,
            severity="warning",
        )
        return True
    c.error(message, (*path, "name"), hint=USE_INSTEAD)
    return False
