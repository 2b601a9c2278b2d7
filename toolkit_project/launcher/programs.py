"""What the launcher runs: the command line of each child, and how to tell it is up."""

import urllib.request
from pathlib import Path

from toolkit_project.launcher.children import Child
from toolkit_project.launcher.config import REPOSITORY, LaunchConfig, python
from toolkit_project.launcher.redis_server import redis_command

CELERY = ["-m", "celery", "-A", "toolkit_project"]


def redis_child(binary: str, *, port: int, data_dir: Path, env: dict[str, str]) -> Child:
    """The embedded Redis; its fixed port is part of its command, so a restart keeps it."""
    return Child("redis", redis_command(binary, port=port, data_dir=data_dir), env, _cwd())


def portal_children(config: LaunchConfig, env: dict[str, str]) -> list[Child]:
    """Web, worker, beat and (when enabled and shipped) the gateway simulator."""
    children = [_web(config, env), _worker(config, env), _beat(env)]
    if config.simulator_enabled and _has_simulator():
        children.append(_simulator(config, env))
    return children


def _web(config: LaunchConfig, env: dict[str, str]) -> Child:
    command = [python(), "-m", "daphne", "-b", config.host, "-p", str(config.port)]
    return Child("web", [*command, "toolkit_project.asgi:application"], env, _cwd())


def _worker(config: LaunchConfig, env: dict[str, str]) -> Child:
    command = [python(), *CELERY, "worker", "-Q", "executions,default", "-n", "embedded@%h"]
    options = ["-c", str(config.worker_concurrency), "--loglevel", "INFO"]
    return Child("worker", [*command, *options], env, _cwd())


def _beat(env: dict[str, str]) -> Child:
    # An empty pidfile keeps beat from leaving a stale celerybeat.pid behind.
    command = [python(), *CELERY, "beat", "--pidfile=", "--loglevel", "INFO"]
    return Child("beat", command, env, _cwd())


def _simulator(config: LaunchConfig, env: dict[str, str]) -> Child:
    command = [python(), str(REPOSITORY / "manage.py"), "run_gateway_simulator"]
    options = ["--host", "127.0.0.1", "--port", str(config.simulator_port)]
    return Child("simulator", [*command, *options], env, _cwd())


def _cwd() -> str:
    return str(REPOSITORY)


def _has_simulator() -> bool:
    return (
        REPOSITORY / "apps" / "simulator" / "management" / "commands" / "run_gateway_simulator.py"
    ).exists()


def redis_answers(port: int) -> bool:
    import redis

    try:
        return bool(redis.Redis(port=port, socket_connect_timeout=0.5).ping())
    except redis.RedisError:
        return False


def http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - local http URL
            return response.status == 200
    except OSError:
        return False
