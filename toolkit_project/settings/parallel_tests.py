"""Keep the processes of a parallel test run (``pytest -n``) out of each other's way.

pytest-django already gives each worker its own test database (``test_<name>_gw1``). What the
workers would still share is set apart here, before the settings read it: the Redis database
(cache, throttles, broker, channel layer), the channel-layer prefix and the data folder
(artifacts, media, run folders). Processes a test starts inherit the result, and the marker
``PARALLEL_TEST_WORKER`` keeps them from moving it again.
"""

from collections.abc import MutableMapping
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REDIS_DATABASES = 16


def isolate_parallel_worker(environ: MutableMapping[str, str]) -> None:
    worker = environ.get("PYTEST_XDIST_WORKER", "")
    if not worker.startswith("gw") or environ.get("PARALLEL_TEST_WORKER") == worker:
        return
    environ["PARALLEL_TEST_WORKER"] = worker
    index = int(worker.removeprefix("gw"))
    environ["REDIS_URL"] = redis_database_for(environ["REDIS_URL"], index)
    environ["CHANNELS_PREFIX"] = f"{environ['CHANNELS_PREFIX']}-{worker}"
    base = Path(__file__).resolve().parents[2] / "var"
    data = Path(environ.get("IGNITION_TOOLKIT_DATA", str(base)))
    environ["IGNITION_TOOLKIT_DATA"] = str(data / f"test-{worker}")


def redis_database_for(url: str, index: int) -> str:
    """The worker's own Redis database: counting down from the one configured, wrapping at 0."""
    parts = urlsplit(url)
    configured = int(parts.path.strip("/") or 0)
    database = (configured - index) % REDIS_DATABASES
    return urlunsplit(parts._replace(path=f"/{database}"))
