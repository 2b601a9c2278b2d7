"""The batch artifacts zip's layout: a folder per gateway (its name made safe for a path), and
no secret parameter value in any file name, even one the engine did not mask."""

import io
import zipfile

import pytest

from apps.executions.models import Artifact, Execution
from apps.executions.services.batches import batch_start
from apps.reports.archive import batch_artifacts_zip
from tests.batches.helpers import tagged_gateways
from tests.executions.factories import playbook

pytestmark = pytest.mark.django_db
SECRET = "Vt9-zip-secret-28"
STEPS = "- {id: hello, name: Hello, type: utility.log, parameters: {message: hello}}"
PARAMETERS = """
- {name: gateway_url, type: string, required: false}
- {name: admin_pin, type: string, secret: true}
"""


def stored(execution: Execution, name: str, data: bytes, root) -> None:
    folder = root / str(execution.pk)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)
    Artifact.objects.create(
        execution=execution,
        kind="download",
        name=name,
        path=f"{execution.pk}/{name}",
        content_type="application/octet-stream",
        size=len(data),
    )


def test_each_gateway_has_a_safe_folder_and_secret_values_are_masked(
    team, operator, settings, tmp_path
):
    settings.ARTIFACTS_ROOT = tmp_path
    urls = {"plant/a gw": "http://127.0.0.1:9001", "gw-b": "http://127.0.0.1:9002"}
    book = playbook(team, STEPS, parameters=PARAMETERS, name="Zip me")
    batch = batch_start(
        book, actor=operator, gateways=tagged_gateways(team, urls), parameters={"admin_pin": SECRET}
    )
    runs = {run.gateway.name: run for run in Execution.objects.filter(batch=batch)}
    stored(runs["plant/a gw"], f"backup-{SECRET}.gwbk", b"backup a", tmp_path)
    stored(runs["gw-b"], "backup.gwbk", b"backup b", tmp_path)

    archive = zipfile.ZipFile(io.BytesIO(batch_artifacts_zip(batch).read()))

    assert archive.namelist() == ["gw-b/run/backup.gwbk", "plant_a gw/run/backup-[SECURE].gwbk"]
    assert archive.read("plant_a gw/run/backup-[SECURE].gwbk") == b"backup a"
