import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from toolkit_project.settings.env import load_local_secrets, secret

REPOSITORY = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "toolkit_project.settings.base",
    "DJANGO_SECRET_KEY": "k" * 50,
    "DJANGO_ALLOWED_HOSTS": "portal.plant.local",
    "FIELD_ENCRYPTION_KEY": "3CwzT3pS2p2Xq0HMwVbWMmQ0iP8r0tWi3qv7jYRM1zw=",
    "PATH": os.environ["PATH"],
}


def start_django(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        env=env,
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_settings_start_with_everything_set():
    result = start_django(PRODUCTION)

    assert result.stdout.strip() == "started", result.stderr


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("DJANGO_SECRET_KEY", "DJANGO_SECRET_KEY is not set."),
        ("FIELD_ENCRYPTION_KEY", "FIELD_ENCRYPTION_KEY is not set."),
        ("DJANGO_ALLOWED_HOSTS", "DJANGO_ALLOWED_HOSTS is not set."),
    ],
)
def test_production_settings_refuse_to_start_without(missing, message):
    env = {name: value for name, value in PRODUCTION.items() if name != missing}

    result = start_django(env)

    assert result.returncode == 1
    assert f"ImproperlyConfigured: {message}" in result.stderr


def test_an_unknown_python_sandbox_mode_stops_the_start():
    result = start_django({**PRODUCTION, "PYTHON_STEPS_SANDBOX": "none"})

    assert result.returncode == 1
    assert (
        "ImproperlyConfigured: PYTHON_STEPS_SANDBOX is 'none': use 'bwrap' (the default) to run "
        "Python steps in a sandbox, or 'off' to run them unsandboxed."
    ) in result.stderr


def test_worker_input_folders_must_be_absolute():
    result = start_django({**PRODUCTION, "WORKER_INPUT_DIRS": "/srv/inputs, inputs"})

    assert result.returncode == 1
    assert "ImproperlyConfigured: WORKER_INPUT_DIRS lists absolute folders" in result.stderr


def test_a_default_run_timeout_beyond_the_longest_run_allowed_stops_the_start():
    env = {**PRODUCTION, "EXECUTION_TIMEOUT_SECONDS": "7200", "EXECUTION_MAX_SECONDS": "3600"}

    result = start_django(env)

    assert result.returncode == 1
    assert (
        "ImproperlyConfigured: EXECUTION_TIMEOUT_SECONDS is 7200: give a number of seconds "
        "from 1 to EXECUTION_MAX_SECONDS (3600)."
    ) in result.stderr


def test_secret_prefers_the_file(tmp_path, monkeypatch):
    path = tmp_path / "key"
    path.write_text("from-file\n")
    monkeypatch.setenv("EXAMPLE_KEY", "from-env")
    monkeypatch.setenv("EXAMPLE_KEY_FILE", str(path))

    assert secret("EXAMPLE_KEY") == "from-file"


def test_secret_file_that_cannot_be_read(tmp_path, monkeypatch):
    monkeypatch.setenv("EXAMPLE_KEY_FILE", str(tmp_path / "absent"))

    with pytest.raises(
        ImproperlyConfigured, match="EXAMPLE_KEY_FILE points at .*absent.*cannot be read"
    ):
        secret("EXAMPLE_KEY")


def test_secret_default_and_missing(monkeypatch):
    monkeypatch.delenv("EXAMPLE_KEY", raising=False)
    monkeypatch.delenv("EXAMPLE_KEY_FILE", raising=False)

    assert secret("EXAMPLE_KEY", default="fallback") == "fallback"
    with pytest.raises(ImproperlyConfigured, match="or EXAMPLE_KEY_FILE to the path of a file"):
        secret("EXAMPLE_KEY")


def test_local_secrets_are_generated_once_and_private(tmp_path, monkeypatch):
    monkeypatch.delenv("DJANGO_SECRET_KEY", raising=False)
    monkeypatch.delenv("FIELD_ENCRYPTION_KEY", raising=False)

    path = load_local_secrets(tmp_path / "data")
    first = path.read_text()
    load_local_secrets(tmp_path / "data")

    assert path.read_text() == first
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert os.environ["DJANGO_SECRET_KEY"] in first
    assert os.environ["FIELD_ENCRYPTION_KEY"] in first
