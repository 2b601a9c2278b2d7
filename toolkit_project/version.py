"""The portal's one version number, from ``pyproject.toml``.

An installed distribution answers through its metadata; a source checkout (``make run``, the
container image, which copies the repository) has ``pyproject.toml`` beside this package and
is read once. Nothing here imports Django: ``manage.py --version`` uses it before set-up.
"""

import tomllib
from functools import lru_cache
from importlib import metadata
from pathlib import Path

DISTRIBUTION = "ignition-automation-portal"
PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


@lru_cache(maxsize=1)
def portal_version() -> str:
    """The version, e.g. ``0.2.0``."""
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        with PYPROJECT.open("rb") as handle:
            return tomllib.load(handle)["project"]["version"]
