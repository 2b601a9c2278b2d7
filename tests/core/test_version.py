"""One version, read from pyproject.toml, shown wherever the portal names its version."""

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.fixtures.processes import REPOSITORY
from tests.fixtures.processes import test_process_environment as process_environment

pytestmark = pytest.mark.django_db


def pyproject_version() -> str:
    with (Path(REPOSITORY) / "pyproject.toml").open("rb") as handle:
        return tomllib.load(handle)["project"]["version"]


def test_the_version_is_the_one_in_pyproject():
    from toolkit_project.version import portal_version

    assert portal_version() == pyproject_version()
    assert portal_version().count(".") == 2


def test_the_page_footer_shows_it_to_a_signed_in_user(client, operator):
    client.force_login(operator)

    page = client.get("/").content.decode()

    assert f'<span data-testid="portal-version">{pyproject_version()}</span>' in page


def test_the_login_page_does_not_show_it(client):
    page = client.get("/accounts/login/").content.decode()

    assert "portal-version" not in page


def test_the_api_schema_carries_it(client, operator):
    client.force_login(operator)

    schema = client.get("/api/v1/schema/", {"format": "json"}).json()

    assert schema["info"]["version"] == pyproject_version()


def test_detailed_health_names_it(client, admin_user, monkeypatch):
    monkeypatch.setattr("apps.core.health.celery_app.control.ping", lambda **kwargs: [])
    client.force_login(admin_user)

    body = client.get("/health/detailed").json()

    assert body["version"] == pyproject_version()


def test_manage_py_version_prints_it():
    done = subprocess.run(
        [sys.executable, "manage.py", "--version"],
        cwd=REPOSITORY,
        env=process_environment(),
        capture_output=True,
        text=True,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout == f"{pyproject_version()}\n"
