"""One environment reader for all settings, with ``NAME_FILE`` secret support."""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

if env.bool("DJANGO_READ_DOT_ENV_FILE", default=False):
    env.read_env(str(BASE_DIR / ".env"))

# Data folder of a single-machine install: SQLite, generated secrets, artifacts, media.
DATA_DIR = Path(env.str("IGNITION_TOOLKIT_DATA", default=str(BASE_DIR / "var"))).resolve()


def secret(name: str, default: str | None = None) -> str:
    """Read a secret from ``NAME`` or from the file named by ``NAME_FILE``.

    Raises ``ImproperlyConfigured`` naming both variables when neither is set and there is no
    default, so a production start fails with a message that says what to set.
    """
    path = env.str(f"{name}_FILE", default="")
    if path:
        try:
            return Path(path).read_text().strip()
        except OSError as exc:
            raise ImproperlyConfigured(
                f"{name}_FILE points at {path!r}, which cannot be read: {exc.strerror}."
            ) from None
    value = env.str(name, default="")
    if value:
        return value
    if default is not None:
        return default
    raise ImproperlyConfigured(
        f"{name} is not set. Set the environment variable {name}, "
        f"or {name}_FILE to the path of a file holding it."
    )


def ip_networks(name: str) -> list[str]:
    """A comma-separated list of IP addresses or CIDR networks from ``NAME``, checked here so a
    typo stops the start with a message instead of silently matching nothing."""
    import ipaddress

    entries = env.list(name, default=[])
    for entry in entries:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            raise ImproperlyConfigured(
                f"{name}: {entry!r} is not an IP address or network. Give addresses or CIDR "
                f"networks separated by commas, e.g. {name}=10.0.0.5,192.168.10.0/24."
            ) from None
    return entries


def load_local_secrets(data_dir: Path) -> Path:
    """Create (once) and load the secrets of a single-machine install.

    The embedded default and development settings keep a generated Django secret key and
    field-encryption key in ``<data_dir>/secrets.env`` (mode 0600), so no key lives in code and
    credentials stay readable across restarts. Values already in the environment win.
    """
    import os
    import secrets as token_source

    from cryptography.fernet import Fernet

    path = data_dir / "secrets.env"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        lines = [
            f"DJANGO_SECRET_KEY={token_source.token_urlsafe(50)}",
            f"FIELD_ENCRYPTION_KEY={Fernet.generate_key().decode()}",
        ]
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write("\n".join(lines) + "\n")
    for line in path.read_text().splitlines():
        name, _, value = line.partition("=")
        if name and value:
            os.environ.setdefault(name, value)
    return path
