"""Artifacts in an S3-compatible object store (a real SeaweedFS): uploaded masked as they are
recorded, served by a web that has none of the worker's files, deleted with their runs."""

import json

import pytest
from django.core.files.storage import storages
from django.urls import reverse

from apps.executions.artifact_files import artifact_text
from apps.executions.artifact_store import ArtifactStoreError, artifact_upload
from apps.executions.engine.masking import MASK, Masker
from apps.executions.engine.recording import Recorder
from apps.executions.models import Artifact, Execution
from apps.executions.services.history import execution_delete
from apps.executions.services.launch import execution_start
from tests.executions.factories import HELLO_STEP, playbook
from tests.fixtures.object_store import free_ports
from toolkit_project.settings.artifacts import artifacts_storage

pytestmark = pytest.mark.django_db

SECRET = "S3cret-Pa55"  # noqa: S105 - the value every stored file must lose


@pytest.fixture
def hosts(settings, tmp_path):
    """The worker's data folder, and the web's (another host: it never sees the worker's)."""
    worker, web = tmp_path / "worker", tmp_path / "web"
    settings.ARTIFACTS_ROOT = worker
    return {"worker": worker, "web": web}


def recorded_run(team, operator):
    execution = execution_start(playbook(team, HELLO_STEP), actor=operator)
    Execution.objects.filter(pk=execution.pk).update(status="completed")
    masker = Masker()
    masker.add(SECRET)
    return execution, Recorder(execution, masker)


def served(client, artifact, **query):
    answer = client.get(
        reverse("executions:artifact", args=[artifact.execution_id, artifact.pk]), query
    )
    body = b"".join(answer.streaming_content) if answer.streaming else answer.content
    return answer, body


def test_a_recorded_artifact_is_uploaded_masked_and_served_by_another_host(
    team, operator, viewer, client, object_store, hosts, settings
):
    execution, recorder = recorded_run(team, operator)

    page = recorder.artifact(
        None, "html", "page.html", data=f"<p>{SECRET}</p>", content_type="text/html"
    )
    shot = recorder.artifact(None, "screenshot", "shot.png", data=b"\x89PNG-bytes")
    recorder.close()
    settings.ARTIFACTS_ROOT = hosts["web"]
    client.force_login(viewer)

    assert page.path == f"{execution.pk}/page.html"
    assert object_store.keys() == [f"{execution.pk}/page.html", f"{execution.pk}/shot.png"]
    assert object_store.read(page.path) == f"<p>{MASK}</p>".encode()
    assert not (hosts["worker"] / str(execution.pk)).exists()
    answer, body = served(client, shot)
    assert (answer.status_code, answer["Content-Type"], body) == (
        200,
        "image/png",
        b"\x89PNG-bytes",
    )
    answer, body = served(client, page, download=1)
    assert answer.status_code == 200
    assert answer["Content-Disposition"] == 'attachment; filename="page.html"'
    assert body == f"<p>{MASK}</p>".encode()


def test_the_debug_panel_reads_its_context_from_the_store(
    team, operator, object_store, hosts, settings
):
    execution, recorder = recorded_run(team, operator)
    context = recorder.artifact(None, "debug", "debug-1.json", data=json.dumps({"error": SECRET}))
    settings.ARTIFACTS_ROOT = hosts["web"]

    assert json.loads(artifact_text(context)) == {"error": MASK}
    assert artifact_text(context, limit=4) == '{"er'


def test_deleting_runs_deletes_their_objects_and_no_other_runs(
    team, operator, object_store, hosts, settings, django_capture_on_commit_callbacks
):
    first, first_recorder = recorded_run(team, operator)
    kept, kept_recorder = recorded_run(team, operator)
    first_recorder.artifact(None, "log", "a.txt", data="a")
    first_recorder.artifact(None, "trace", "trace.zip", data=b"PK")
    kept_recorder.artifact(None, "log", "b.txt", data="b")
    settings.ARTIFACTS_ROOT = hosts["web"]

    with django_capture_on_commit_callbacks(execute=True):
        execution_delete([first], actor=operator)

    assert object_store.keys() == [f"{kept.pk}/b.txt"]


def test_only_keys_of_the_artifacts_own_run_are_read(
    team, operator, outsider, other_team, client, object_store, hosts
):
    execution, recorder = recorded_run(team, operator)
    theirs, their_recorder = recorded_run(other_team, outsider)
    their_recorder.artifact(None, "log", "t.txt", data="theirs")
    own = recorder.artifact(None, "log", "ok.txt", data="ok", content_type="text/plain")
    planted = [
        Artifact.objects.create(execution=execution, kind="log", name="x", path=path)
        for path in (f"{theirs.pk}/t.txt", f"{execution.pk}/../{theirs.pk}/t.txt", "t.txt")
    ]
    missing = Artifact.objects.create(
        execution=execution, kind="log", name="gone", path=f"{execution.pk}/gone.txt"
    )
    client.force_login(operator)

    statuses = [served(client, artifact)[0].status_code for artifact in [*planted, missing]]

    assert statuses == [404, 404, 404, 404]
    assert served(client, own)[1] == b"ok"
    client.force_login(outsider)
    assert served(client, own)[0].status_code == 404


def test_an_unreachable_store_fails_the_upload_and_the_page_with_what_to_check(
    team, operator, client, object_store, hosts, settings
):
    execution, recorder = recorded_run(team, operator)
    shot = recorder.artifact(None, "screenshot", "shot.png", data=b"png")
    closed = f"s3://{object_store.name}/{object_store.prefix}?endpoint=http://127.0.0.1:{free_ports(1)[0]}"
    settings.STORAGES = {**settings.STORAGES, "artifacts": artifacts_storage(closed)}
    client.force_login(operator)

    with pytest.raises(
        ArtifactStoreError, match="Could not upload artifact .*ARTIFACTS_STORAGE_URL"
    ):
        recorder.artifact(None, "log", "late.txt", data="late")
    answer, body = served(client, shot)

    assert answer.status_code == 503
    assert b"Could not read artifact" in body
    assert artifact_text(shot) == ""
    assert list(execution.artifacts.values_list("name", flat=True)) == ["shot.png"]


def test_a_link_in_the_run_folder_is_never_uploaded(object_store, hosts, tmp_path):
    hosts["worker"].mkdir()
    (tmp_path / "elsewhere.txt").write_text("not the run's")
    link = hosts["worker"] / "link.txt"
    link.symlink_to(tmp_path / "elsewhere.txt")

    with pytest.raises(ArtifactStoreError, match="not a plain file of its run"):
        artifact_upload(link, "run/link.txt")

    assert object_store.keys() == []


def test_a_store_down_while_runs_are_deleted_still_deletes_the_runs_and_says_so(
    team, operator, object_store, hosts, settings, caplog, django_capture_on_commit_callbacks
):
    execution, recorder = recorded_run(team, operator)
    recorder.artifact(None, "log", "a.txt", data="a")
    closed = f"s3://{object_store.name}/{object_store.prefix}?endpoint=http://127.0.0.1:{free_ports(1)[0]}"
    settings.STORAGES = {**settings.STORAGES, "artifacts": artifacts_storage(closed)}

    with django_capture_on_commit_callbacks(execute=True):
        execution_delete([execution], actor=operator)

    assert not Execution.objects.filter(pk=execution.pk).exists()
    assert f"Could not delete the stored artifacts of run {execution.pk}" in caplog.text
    assert object_store.keys() == [f"{execution.pk}/a.txt"]


def test_a_wrong_secret_key_answers_503_with_what_to_check(
    team, operator, client, object_store, hosts, settings
):
    execution, recorder = recorded_run(team, operator)
    shot = recorder.artifact(None, "screenshot", "shot.png", data=b"png")
    wrong = artifacts_storage(
        object_store.url, access_key=object_store.server.access_key, secret_key="wrong"
    )
    settings.STORAGES = {**settings.STORAGES, "artifacts": wrong}
    client.force_login(operator)

    answer, body = served(client, shot)

    assert answer.status_code == 503
    assert b"its access key is valid" in body


def test_without_an_object_store_the_artifacts_storage_is_this_hosts_artifacts_root(
    settings, tmp_path
):
    settings.ARTIFACTS_ROOT = tmp_path

    assert storages["artifacts"].path("run/shot.png") == str(tmp_path / "run" / "shot.png")
