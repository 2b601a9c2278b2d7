"""Simulator knobs (spec 9.1) and the optional seed file."""

import dataclasses
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import profiles

DEFAULT_PATCH = {"8.1": "8.1.48", "8.3": "8.3.6"}
ERROR_STYLES = ("json", "html")
RESTART_STYLES = ("soft", "hard")
TRIAL_RESET_POLICIES = ("any", "expired")
_VERSION = re.compile(r"^8\.[13](\.(\d+|x))?$")


class ConfigError(ValueError):
    pass


def normalise_version(version: str) -> str:
    """``8.3.6`` stays as is; ``8.1.x`` or ``8.1`` become the default patch of that line."""
    if not _VERSION.match(version):
        raise ConfigError(f"unsupported version {version!r}: use 8.3.N, 8.1.N, 8.3.x or 8.1.x")
    line = version[:3]
    if version in (line, f"{line}.x"):
        return DEFAULT_PATCH[line]
    return version


@dataclass
class TokenSpec:
    """A configured API token (spec 9.3); the header value is ``name:secret``."""

    name: str
    secret: str
    levels: list[str] = field(default_factory=lambda: ["Authenticated/Roles/Administrator"])
    read: bool = True
    write: bool = True
    secure_required: bool = False


@dataclass
class SimConfig:
    version: str = "8.3.6"
    error_style: str = "json"
    auth_failure_status: int = 0
    restart_style: str = "soft"
    time_scale: float = 1.0
    grace_s: float = 5.0
    stopping_s: float = 1.0
    starting_s: float = 35.0
    down_s: float = 10.0
    cold_start_s: float = 0.0
    commissioned: bool = True
    trial_length_s: float = 7200.0
    allow_unsigned_modules: bool = False
    auth_warmup_s: float = 0.0
    restore_delay_s: float = 0.0
    restore_wipes_tokens: bool = False
    realistic_backup: bool = False
    trial_reset_81: str = "any"
    control: bool = False
    scheme: str = "http"
    port: int = 8088
    gateway_name: str = "Ignition-simulator"
    edition: str = "standard"
    admin_username: str = "admin"
    admin_password: str = "password"  # noqa: S105 - documented simulator default
    tokens: list[TokenSpec] = field(
        default_factory=lambda: [TokenSpec(name="simulator", secret="simulator-secret")]  # noqa: S106
    )
    projects: list[dict[str, Any]] = field(default_factory=list)
    tags: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.version = normalise_version(self.version)
        _check_choice("error_style", self.error_style, ERROR_STYLES)
        _check_choice("restart_style", self.restart_style, RESTART_STYLES)
        _check_choice("trial_reset_81", self.trial_reset_81, TRIAL_RESET_POLICIES)
        if self.auth_failure_status not in (0, 401, 403):
            raise ConfigError("auth_failure_status must be 401 or 403 (0: the version's own)")
        if self.time_scale <= 0:
            raise ConfigError("time_scale must be greater than 0")
        self.tokens = [t if isinstance(t, TokenSpec) else TokenSpec(**t) for t in self.tokens]

    @property
    def line(self) -> str:
        """``8.1`` or ``8.3``: which profile the simulator plays."""
        return self.version[:3]

    @property
    def is_83(self) -> bool:
        return self.line == "8.3"

    @property
    def build(self) -> str:
        return profiles.build(self.version)

    @property
    def full_version(self) -> str:
        return f"{self.version} ({self.build})"

    @property
    def auth_failure(self) -> int:
        """401 or 403 for a request without a usable token or session."""
        return self.auth_failure_status or profiles.auth_failure_status(self.version)


def _check_choice(name: str, value: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise ConfigError(f"{name} must be one of {', '.join(choices)}, not {value!r}")


def load_seed(path: str | Path) -> dict[str, Any]:
    """Read a JSON seed file: any ``SimConfig`` field (e.g. ``tokens``, ``projects``, ``tags``)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ConfigError(f"cannot read seed file {path}: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"seed file {path} must hold a JSON object")
    known = {f.name for f in dataclasses.fields(SimConfig)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ConfigError(f"seed file {path} has unknown keys: {', '.join(unknown)}")
    return data


def build_config(seed_file: str | None = None, **overrides: Any) -> SimConfig:
    """Seed file values first, then explicit overrides (command-line flags)."""
    values = load_seed(seed_file) if seed_file else {}
    values.update({k: v for k, v in overrides.items() if v is not None})
    return SimConfig(**values)
