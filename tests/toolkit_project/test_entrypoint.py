"""A container's first start (docker/entrypoint.sh, web role) prepares the installation the way
`make run` does: migrations, the first admin (password printed once) and default team, the
shipped library; a second start creates nothing. Real shell, Python and database; only the
web server is a stand-in that says how it was started."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from apps.accounts.models import Team, User
from apps.gateways.models import Gateway
from apps.playbooks.models import Playbook
from tests.fixtures import processes

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.slow]


@pytest.fixture
def container_path(tmp_path) -> str:
    """``python`` is this interpreter; ``daphne`` only prints its arguments."""
    for name, script in (("python", f'exec {sys.executable} "$@"'), ("daphne", 'echo "daphne $*"')):
        (tmp_path / name).write_text(f"#!/bin/sh\n{script}\n")
        (tmp_path / name).chmod(0o755)
    return f"{tmp_path}{os.pathsep}{os.environ['PATH']}"


def start(container_path: str, **env) -> str:
    environment = {**processes.test_process_environment(), "PATH": container_path, **env}
    finished = subprocess.run(  # noqa: S603 - fixed argument list
        ["sh", str(Path(processes.REPOSITORY) / "docker" / "entrypoint.sh"), "web"],
        cwd=processes.REPOSITORY,
        env=environment,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr
    return finished.stdout


def test_the_first_start_creates_the_admin_team_and_library_once(container_path):
    first = start(container_path)
    second = start(container_path, PORTAL_ADMIN_PASSWORD="ignored-once-an-admin-exists")

    password = re.search(r"Created admin admin with password (\S+)", first).group(1)
    assert User.objects.get(username="admin").check_password(password)
    assert Team.objects.filter(name="Default").exists()
    assert Playbook.objects.filter(path="gateway/backup_gateway.yaml").exists()
    assert not Gateway.objects.exists()
    assert first.rstrip().endswith("daphne -b 0.0.0.0 -p 8000 toolkit_project.asgi:application")
    assert "An admin already exists; nothing created." in second
    assert password not in second
