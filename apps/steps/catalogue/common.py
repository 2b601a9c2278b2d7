"""Parameter declarations shared by several families."""

from typing import Any

from apps.steps.schema import Param, ParamType

BROWSER = "browser"
GATEWAY = "gateway"
DESKTOP = "desktop"


def selector(description: str = "Playwright selector of the element.", **extra: Any) -> Param:
    """Return the required ``selector`` parameter of a browser step."""
    return Param("selector", ParamType.SELECTOR, required=True, description=description, **extra)


def timeout_ms(default: int, description: str = "How long to wait for the element.") -> Param:
    """Return a browser ``timeout`` parameter in milliseconds."""
    return Param(
        "timeout", ParamType.INTEGER, default=default, unit="ms", minimum=0, description=description
    )


def timeout_s(default: int, description: str) -> Param:
    """Return a ``timeout`` parameter in seconds (gateway and designer steps)."""
    return Param(
        "timeout", ParamType.INTEGER, default=default, unit="s", minimum=0, description=description
    )


def artifact_name(name: str, description: str) -> Param:
    """Return an optional relative file name for an artifact stored with the run."""
    return Param(name, ParamType.STRING, relative_path=True, description=description)
