"""A module install (the shipped 8.3 playbook, against the simulator) with its .modl taken
from the files library: uploaded and launched through the API with the library in a real
object store and the worker on another "host", and uploaded in place on the Run dialog."""

from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from apps.executions.models import Execution
from apps.playbooks.models import Playbook
from apps.playbooks.services import playbook_library_sync
from tests.credentials.factories import CredentialFactory
from tests.executions.fixtures import InProcessRun
from tests.files.helpers import modl

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.slow]

LIBRARY = Path(django_settings.BASE_DIR) / "playbooks"
INSTALL = "gateway/module_install_83.yaml"


@pytest.fixture
def install(team, settings, tmp_path):
    settings.ARTIFACTS_ROOT = tmp_path / "web"
    settings.BROWSER_TRACE = False
    settings.WORKER_INPUT_DIRS = ()
    playbook_library_sync(root=LIBRARY, teams=[team])
    Playbook.objects.filter(team=team).update(verified=True)
    CredentialFactory(team=team, name="gw-admin", username="admin", secret="password")  # noqa: S106
    return Playbook.objects.get(team=team, path=INSTALL)


def run_on_worker(execution, settings, folder: Path) -> Execution:
    """Run the queued execution here as a worker whose data folder is ``folder``."""
    settings.ARTIFACTS_ROOT = folder
    finished = InProcessRun(execution).wait(timeout=300)
    failed = [(s.step_id, s.error) for s in finished.steps.exclude(status="completed")]
    assert (finished.status, finished.status_reason) == ("completed", ""), failed
    return finished


def test_api_upload_and_launch_install_the_module_from_the_object_store(
    install, operator, sim, object_store, settings, tmp_path
):
    api = APIClient()
    api.force_authenticate(operator)

    uploaded = api.post(
        "/api/v1/files/",
        {"file": SimpleUploadedFile("demo.modl", modl())},
        format="multipart",
    ).json()
    parameters = {
        "gateway_url": sim.url,
        "gateway_credential": "gw-admin",
        "module_file": {"file": uploaded["file"]["id"]},
    }
    launched = api.post(
        "/api/v1/executions/", {"playbook": install.pk, "parameters": parameters}, format="json"
    )
    execution = Execution.objects.get(pk=launched.json()["id"])
    finished = run_on_worker(execution, settings, tmp_path / "worker")

    digest = uploaded["version"]["sha256"]
    assert object_store.keys("files/") == [f"files/{install.team_id}/{digest}"]
    upload = finished.steps.get(step_id="upload")
    assert upload.outputs["module_id"] == "com.example.demo"
    assert finished.parameters["module_file"] == {"file": uploaded["file"]["id"], "version": 1}


def test_a_file_uploaded_in_the_run_dialog_installs_the_module(
    install, operator, sim, client, settings, tmp_path
):
    client.force_login(operator)

    answer = client.post(
        f"/playbooks/{install.pk}/run/",
        {
            "action": "run",
            "param-gateway_url": sim.url,
            "param-gateway_credential": "gw-admin",
            "param-module_file-upload": SimpleUploadedFile("demo.modl", modl()),
        },
    )

    execution = Execution.objects.get()
    assert answer.status_code == 302
    assert answer["Location"] == execution.get_absolute_url()
    finished = run_on_worker(execution, settings, tmp_path / "web")  # one machine: one folder
    copied = tmp_path / "web" / str(execution.pk) / "inputs" / "module_file" / "demo.modl"
    assert copied.read_bytes() == modl()
    assert finished.steps.get(step_id="upload").outputs["module_id"] == "com.example.demo"
