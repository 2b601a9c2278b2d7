"""The shipped gateway library, run by a real worker with a distinctive gateway password.

Afterwards nothing the portal keeps or shows holds that password in any encoding: not a table
of the database, not the worker's log, not an artifact (zips opened, nested ones too), not an
answer of the API or the run pages that a team member can fetch.
"""

import io
import time
import zipfile
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from rest_framework.test import APIClient

from apps.executions.models import Execution
from apps.playbooks.models import Playbook
from apps.playbooks.services import playbook_library_sync
from tests.credentials.factories import CredentialFactory
from tests.security.leaks import leaks_in
from tests.simulator.helpers import build_modl

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.slow]

PASSWORD = 'Pl@nt A/pw+1&"<é>%21'  # noqa: S105 - changes under every encoding it is scanned in
MODULE_ID = "com.example.demo"
RUNS_83 = (
    ("gateway/gateway_login.yaml", {}),
    ("gateway/api_key_setup.yaml", {}),
    ("gateway/backup_gateway.yaml", {}),
    ("gateway/gateway_restart.yaml", {}),
    ("gateway/gateway_restart_web.yaml", {"restart_wait_ms": 60000}),
    ("gateway/reset_trial.yaml", {}),
    ("gateway/module_install_83.yaml", {"module_file": "{modl}", "module_id": MODULE_ID}),
    ("gateway/module_upgrade_83.yaml", {"module_file": "{modl}", "module_name": "Demo Module"}),
    ("gateway/module_uninstall_83.yaml", {"module_id": MODULE_ID}),
    ("gateway/module_manage.yaml", {"module_file": "{modl}"}),
)
RUNS_81 = (
    ("gateway/backup_gateway_81.yaml", {}),
    ("gateway/reset_trial_81.yaml", {}),
    ("gateway/module_install_81.yaml", {"module_file": "{modl}", "module_name": "Demo Module"}),
    ("gateway/module_upgrade_81.yaml", {"module_file": "{modl}", "module_name": "Demo Module"}),
    ("gateway/module_uninstall_81.yaml", {"module_id": MODULE_ID}),
)


@pytest.fixture
def plant(team, sim_factory, tmp_path, settings):
    """Both simulators with the distinctive password, the library verified, a .modl to send."""
    settings.ARTIFACTS_ROOT = tmp_path / "artifacts"
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    (inputs / "demo.modl").write_bytes(build_modl(MODULE_ID))
    settings.WORKER_INPUT_DIRS = [str(inputs)]
    playbook_library_sync(root=Path(django_settings.BASE_DIR) / "playbooks", teams=[team])
    Playbook.objects.filter(team=team).update(verified=True)
    CredentialFactory(team=team, name="plant-admin", username="admin", secret=PASSWORD, shared=True)
    options = {"admin_password": PASSWORD, "allow_unsigned_modules": True}
    return {
        "8.3": sim_factory(**options).url,
        "8.1": sim_factory(version="8.1.x", **options).url,
        "modl": str(inputs / "demo.modl"),
        "env": {"ARTIFACTS_ROOT": str(tmp_path / "artifacts"), "WORKER_INPUT_DIRS": str(inputs)},
        "log": tmp_path / "worker.log",
        "artifacts": tmp_path / "artifacts",
    }


def launch_library(client: APIClient, team, plant) -> list[str]:
    ids = []
    for version, runs in (("8.3", RUNS_83), ("8.1", RUNS_81)):
        for path, extra in runs:
            playbook = Playbook.objects.get(team=team, path=path)
            parameters = {"gateway_url": plant[version], "gateway_credential": "plant-admin"}
            parameters |= {k: plant["modl"] if v == "{modl}" else v for k, v in extra.items()}
            answer = client.post(
                "/api/v1/executions/",
                {"playbook": playbook.pk, "parameters": parameters},
                format="json",
            )
            assert answer.status_code == 201, (path, answer.json())
            ids.append(answer.json()["id"])
    return ids


def wait_for_all(ids: list[str], timeout: float) -> list[Execution]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        runs = list(Execution.objects.filter(pk__in=ids).select_related("playbook"))
        if all(run.finished_at for run in runs):
            return runs
        time.sleep(0.5)
    raise AssertionError("the library did not finish in time")


def database_rows() -> dict[str, str]:
    """Every table as text, each row in its JSON form (the vault's ciphertext left out)."""
    tables = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT coalesce(string_agg(t::text, chr(10)), '') FROM \"{table}\" t")  # noqa: S608
            tables[table] = cursor.fetchone()[0]
    return tables


def artifact_texts(root: Path) -> dict[str, bytes]:
    """Every stored file's bytes; a zip's entries too, nested zips opened in turn."""
    found = {}
    for path in root.rglob("*"):
        if path.is_file():
            _collect(str(path.relative_to(root)), path.read_bytes(), found)
    return found


def _collect(name: str, data: bytes, found: dict[str, bytes]) -> None:
    found[name] = data
    if data[:2] != b"PK":
        return
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for entry in archive.namelist():
            _collect(f"{name}!{entry}", archive.read(entry), found)


def api_answers(client: APIClient, runs: list[Execution]) -> dict[str, bytes]:
    answers = {}
    for run in runs:
        urls = [
            f"/api/v1/executions/{run.pk}/",
            f"/api/v1/executions/{run.pk}/events/",
            f"/executions/{run.pk}/",
            f"/executions/{run.pk}/export.json",
            f"/executions/{run.pk}/debug-panel/",
        ]
        urls += [f"/executions/{run.pk}/artifacts/{a.pk}/" for a in run.artifacts.all()]
        for url in urls:
            answer = client.get(url)
            body = b"".join(answer.streaming_content) if answer.streaming else answer.content
            answers[url] = body
    return answers


def test_no_gateway_password_is_found_anywhere_after_the_whole_library_ran(
    team, operator, viewer, plant, celery_workers
):
    celery_workers(log_file=plant["log"], loglevel="INFO", env=plant["env"])
    client = APIClient()
    client.force_authenticate(operator)
    ids = launch_library(client, team, plant)

    runs = wait_for_all(ids, timeout=900)

    completed = {run.playbook.path for run in runs if run.status == "completed"}
    assert {"gateway/gateway_login.yaml", "gateway/backup_gateway.yaml"} <= completed, [
        (run.playbook.path, run.status, run.status_reason) for run in runs
    ]
    reader = APIClient()
    reader.force_login(viewer)
    places = {
        **{f"table {t}": rows.encode() for t, rows in database_rows().items()},
        **{f"artifact {n}": data for n, data in artifact_texts(plant["artifacts"]).items()},
        "worker log": plant["log"].read_bytes(),
        **{f"GET {url}": body for url, body in api_answers(reader, runs).items()},
    }
    found = [
        leak for place, data in places.items() for leak in leaks_in(data, place, secret=PASSWORD)
    ]
    assert found == []
