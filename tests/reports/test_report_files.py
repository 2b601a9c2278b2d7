"""The files behind the reports: which pictures are inlined, what the zip says is missing."""

import io
import zipfile

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from apps.executions.models import Artifact
from apps.executions.services.launch import execution_start
from apps.reports.archive import artifacts_zip
from apps.reports.html_report import INLINE_IMAGE_MAX_BYTES, image_data_uri
from tests.executions.factories import HELLO_STEP, playbook

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 16


@pytest.fixture
def execution(team, operator, settings, tmp_path):
    settings.ARTIFACTS_ROOT = tmp_path
    return execution_start(playbook(team, HELLO_STEP), actor=operator)


def stored(execution, name: str, data: bytes | None, content_type: str, **fields) -> Artifact:
    if data is not None:
        folder = settings.ARTIFACTS_ROOT / str(execution.pk)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    return Artifact.objects.create(
        execution=execution,
        kind=fields.pop("kind", "screenshot"),
        name=name,
        path=f"{execution.pk}/{name}",
        content_type=content_type,
        size=fields.pop("size", len(data or b"")),
        **fields,
    )


def test_only_stored_pictures_of_a_sensible_size_are_inlined(execution):
    shot = stored(execution, "shot.png", PNG, "image/png")
    text = stored(execution, "notes.txt", b"hello", "text/plain", kind="log")
    gone = stored(execution, "gone.png", None, "image/png")
    huge = stored(execution, "huge.png", PNG, "image/png", size=INLINE_IMAGE_MAX_BYTES + 1)
    grown = stored(execution, "grown.png", b"\0" * (INLINE_IMAGE_MAX_BYTES + 1), "image/png")
    grown.size = 10  # the row says small, the file grew: still not inlined

    assert image_data_uri(shot) == "data:image/png;base64,iVBORw0KGgoAAAAAAAAAAAAAAAAAAAAA"
    assert [image_data_uri(a) for a in (text, gone, huge, grown)] == ["", "", "", ""]


def test_the_zip_names_files_missing_from_the_store(execution):
    stored(execution, "shot.png", PNG, "image/png")
    stored(execution, "gone.png", None, "image/png")

    archive = zipfile.ZipFile(io.BytesIO(artifacts_zip(execution).read()))

    assert archive.namelist() == ["run/shot.png", "MISSING.txt"]
    assert archive.read("run/shot.png") == PNG
    assert archive.read("MISSING.txt").decode() == "Missing from the artifact store:\nrun/gone.png"


def test_an_artifact_whose_file_is_gone_is_a_404_that_says_so(execution, viewer):
    gone = stored(execution, "gone.png", None, "image/png")
    client = APIClient()
    client.force_authenticate(viewer)

    response = client.get(f"/api/v1/executions/{execution.pk}/artifacts/{gone.pk}/")

    assert response.status_code == 404
    assert response.json()["detail"] == "The file of artifact gone.png is missing from the store."
