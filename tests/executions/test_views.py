"""The executions pages: history, run page, fragments, downloads, re-run and delete."""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.executions.models import Artifact, ArtifactKind, Execution, ExecutionEvent
from apps.executions.run_views import log_text
from apps.executions.services.launch import execution_start
from apps.executions.views import duration_text
from tests.executions.factories import artifact_row
from tests.executions.factories import playbook as make_playbook
from tests.gateways.factories import GatewayFactory

pytestmark = pytest.mark.django_db

STEPS = """
    - id: hello
      name: Say hello
      type: utility.log
      parameters: {message: hello}
    - id: nap
      name: Nap
      type: utility.sleep
      parameters: {seconds: 1}
"""


def make_run(team, actor, *, status="completed", name="Engine test", **changes) -> Execution:
    book = make_playbook(team, STEPS, name=name, path=f"gateway/{name.lower()}-{team.pk}.yaml")
    execution = execution_start(book, actor=actor, **changes.pop("start", {}))
    now = timezone.now()
    finished = now if status in ("completed", "failed", "cancelled", "error") else None
    Execution.objects.filter(pk=execution.pk).update(
        status=status, started_at=now - timedelta(seconds=75), finished_at=finished, **changes
    )
    execution.refresh_from_db()
    return execution


def artifact(execution, tmp_path, name, kind, data=b"data", content_type="", step=None):
    folder = tmp_path / str(execution.pk)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)
    return artifact_row(execution, name, kind, size=len(data), content_type=content_type, step=step)


@pytest.fixture
def artifacts_root(settings, tmp_path):
    settings.ARTIFACTS_ROOT = tmp_path
    return tmp_path


def test_durations_and_log_lines_read_like_the_live_page():
    start = timezone.now()

    assert duration_text(None, None) == ""
    assert duration_text(start, start + timedelta(seconds=4.24)) == "4.2 s"
    assert duration_text(start, start + timedelta(seconds=185)) == "3 m 05 s"
    assert duration_text(start, start + timedelta(minutes=62)) == "1 h 02 m"
    assert log_text("log", {"message": "hi"}) == "hi"
    assert log_text("control", {"by": "oscar", "command": "debug", "enabled": False}) == (
        "oscar requested debug (off)"
    )
    assert log_text("control", {"by": "oscar", "command": "browser.click", "x": 3, "y": 4}) == (
        "oscar requested browser.click at 3, 4"
    )


# The history ---------------------------------------------------------------------------------
def test_history_lists_own_team_runs_with_progress_and_no_other_team(
    client, team, other_team, operator, outsider
):
    own = make_run(team, operator, name="Own run")
    Execution.objects.get(pk=own.pk).steps.filter(step_id="hello").update(status="completed")
    make_run(other_team, outsider, name="Foreign run")
    client.force_login(operator)

    response = client.get(reverse("executions:list"))

    body = response.content.decode()
    assert response.status_code == 200
    assert "Own run" in body
    assert "Foreign run" not in body
    assert "1/2" in body
    assert "1 m 15 s" in body
    assert 'id="delete-selected"' in body
    assert "/ws/executions/" in body or "executions.js" in body


def test_history_redirects_anonymous_users_to_login(client):
    response = client.get(reverse("executions:list"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_history_filters_by_status_playbook_gateway_user_and_dates(client, team, operator, editor):
    gateway = GatewayFactory(team=team, name="press-line")
    first = make_run(team, operator, name="Alpha", start={"gateway": gateway})
    second = make_run(team, operator, name="Beta", status="failed")
    Execution.objects.filter(pk=second.pk).update(queued_at=timezone.now() - timedelta(days=10))
    client.force_login(operator)
    url = reverse("executions:list")
    today = timezone.now().date().isoformat()

    def names(**query):
        page = client.get(url, query).context["page"]
        return [execution.playbook_name for execution in page]

    assert names(status="failed") == ["Beta"]
    assert names(playbook=first.playbook_id) == ["Alpha"]
    assert names(gateway=gateway.pk) == ["Alpha"]
    assert names(requested_by=operator.pk) == ["Alpha", "Beta"]
    assert names(date_from=today) == ["Alpha"]
    assert names(date_to=(timezone.now() - timedelta(days=5)).date().isoformat()) == ["Beta"]
    assert names(playbook="not-a-number", status="nonsense") == ["Alpha", "Beta"]
    counts = {value: count for value, _, count in client.get(url).context["status_counts"]}
    assert (counts["completed"], counts["failed"], counts["running"]) == ("1", "1", "0")


def test_history_paginates_and_answers_htmx_with_the_table_only(client, team, operator):
    book = make_playbook(team, STEPS)
    for _ in range(27):
        execution_start(book, actor=operator)
    client.force_login(operator)

    first = client.get(reverse("executions:list"))
    second = client.get(reverse("executions:list"), {"page": 2})
    fragment = client.get(
        reverse("executions:list"), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="executions-table"
    )

    assert len(first.context["page"]) == 25
    assert len(second.context["page"]) == 2
    assert "Page 2 of 2" in second.content.decode()
    assert fragment.templates[0].name == "executions/_table.html"
    assert b"<html" not in fragment.content


def test_history_uses_a_constant_number_of_queries(client, team, operator):
    client.force_login(operator)
    make_run(team, operator, name="One")
    client.get(reverse("executions:list"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("executions:list"))
    for index in range(6):
        make_run(team, operator, name=f"More {index}")
    with CaptureQueriesContext(connection) as seven:
        response = client.get(reverse("executions:list"))

    assert len(response.context["page"]) == 7
    assert len(seven) == len(one)


# The run page -------------------------------------------------------------------------------
def test_run_page_shows_header_steps_log_artifacts_and_controls(
    client, team, operator, artifacts_root
):
    execution = make_run(team, operator, status="running")
    step = execution.steps.get(step_id="hello")
    step.status, step.outputs, step.attempts = "completed", {"message": "hello"}, 2
    step.started_at, step.finished_at = timezone.now() - timedelta(seconds=2), timezone.now()
    step.save()
    ExecutionEvent.objects.create(
        execution=execution, seq=2, type="log", payload={"level": "warning", "message": "Careful"}
    )
    ExecutionEvent.objects.create(
        execution=execution, seq=3, type="control", payload={"command": "pause", "by": "oscar"}
    )
    Execution.objects.filter(pk=execution.pk).update(last_seq=3)
    artifact(
        execution, artifacts_root, "shot.png", "screenshot", content_type="image/png", step=step
    )
    client.force_login(operator)

    response = client.get(reverse("executions:detail", args=[execution.pk]))

    body = response.content.decode()
    assert response.status_code == 200
    assert 'class="status status-running"' in body
    assert "oscar-operator" in body
    assert 'data-path="0" data-status="completed"' in body
    assert "attempt 2" in body
    assert "2.0 s" in body
    assert "&quot;message&quot;: &quot;hello&quot;" in body
    assert "Careful" in body
    assert "oscar requested pause" in body
    assert "shot.png" in body
    assert 'data-action="cancel"' in body
    assert 'id="debug-switch"' in body
    config = response.context["config"]
    assert (config["lastSeq"], config["live"], config["canControl"]) == (3, True, True)
    assert config["socket"] == f"/ws/executions/{execution.pk}/"
    assert response.context["progress"] == {"done": 1, "total": 2, "percent": 50}


def test_run_page_hides_controls_from_viewers(client, team, operator, viewer):
    execution = make_run(team, operator, status="running")
    client.force_login(viewer)

    body = client.get(reverse("executions:detail", args=[execution.pk])).content.decode()

    assert 'data-action="cancel"' not in body
    assert 'id="debug-switch"' not in body
    assert "Run again" not in body


def test_run_page_of_another_team_is_404_and_anonymous_is_redirected(
    client, team, operator, outsider
):
    execution = make_run(team, operator)
    url = reverse("executions:detail", args=[execution.pk])

    anonymous = client.get(url)
    client.force_login(outsider)
    foreign = client.get(url)

    assert anonymous.status_code == 302
    assert foreign.status_code == 404


def test_debug_panel_shows_the_failed_step_context(client, team, operator, artifacts_root):
    execution = make_run(team, operator, status="paused", debug=True)
    step = execution.steps.get(step_id="nap")
    step.status, step.error = "failed", "Timed out"
    step.save()
    context = {"step_id": "nap", "name": "Nap", "error": "Timed out", "parameters": {"s": 1}}
    artifact(
        execution, artifacts_root, "debug-1.json", "debug", json.dumps(context).encode(), step=step
    )
    artifact(execution, artifacts_root, "debug-1.png", "screenshot", b"png", "image/png", step=step)
    artifact(
        execution, artifacts_root, "debug-1.html", "html", b"<p>Login</p>", "text/html", step=step
    )
    client.force_login(operator)

    page = client.get(reverse("executions:detail", args=[execution.pk])).content.decode()
    fragment = client.get(reverse("executions:debug-panel", args=[execution.pk]))

    for body in (page, fragment.content.decode()):
        assert 'data-testid="debug-panel"' in body
        assert "Debug: step “Nap” failed" in body
        assert "&lt;p&gt;Login&lt;/p&gt;" in body
        assert "&quot;s&quot;: 1" in body
        assert "Run step again" in body
    assert b"<html" not in fragment.content


def test_debug_panel_is_empty_once_the_step_runs_again(client, team, operator, artifacts_root):
    execution = make_run(team, operator, status="running", debug=True)
    step = execution.steps.get(step_id="nap")
    artifact(execution, artifacts_root, "debug-1.json", "debug", b"not json", step=step)
    client.force_login(operator)
    url = reverse("executions:debug-panel", args=[execution.pk])

    empty = client.get(url)
    step.status = "failed"
    step.save()
    broken = client.get(url)

    assert empty.content.strip() == b""
    assert broken.context["debug_panel"]["context"] == {}


# Downloads ----------------------------------------------------------------------------------
def test_artifacts_download_inline_or_as_attachment(client, team, operator, artifacts_root):
    execution = make_run(team, operator)
    image = artifact(
        execution, artifacts_root, "a.png", ArtifactKind.SCREENSHOT, b"png", "image/png"
    )
    page = artifact(
        execution, artifacts_root, "p.html", ArtifactKind.HTML, b"<script>", "text/html"
    )
    client.force_login(operator)

    shown = client.get(reverse("executions:artifact", args=[execution.pk, image.pk]))
    forced = client.get(
        reverse("executions:artifact", args=[execution.pk, image.pk]), {"download": 1}
    )
    html = client.get(reverse("executions:artifact", args=[execution.pk, page.pk]))

    assert (shown.status_code, shown["Content-Type"]) == (200, "image/png")
    assert b"".join(shown.streaming_content) == b"png"
    assert shown["Content-Disposition"].startswith("inline")
    assert forced["Content-Disposition"].startswith("attachment")
    assert html["Content-Disposition"] == 'attachment; filename="p.html"'
    assert "sandbox" in html["Content-Security-Policy"]


def test_artifact_paths_outside_the_root_and_missing_files_are_404(
    client, team, operator, outsider, artifacts_root
):
    execution = make_run(team, operator)
    (artifacts_root.parent / "secret.txt").write_text("secret")
    escape = Artifact.objects.create(
        execution=execution, kind="log", name="x", path="../secret.txt", size=1
    )
    absolute = Artifact.objects.create(
        execution=execution, kind="log", name="y", path=str(artifacts_root.parent / "secret.txt")
    )
    missing = Artifact.objects.create(execution=execution, kind="log", name="z", path="nope.txt")
    own = artifact(execution, artifacts_root, "ok.txt", "log", b"ok", "text/plain")
    client.force_login(operator)

    answers = [
        client.get(reverse("executions:artifact", args=[execution.pk, item.pk])).status_code
        for item in (escape, absolute, missing)
    ]
    client.force_login(outsider)
    foreign = client.get(reverse("executions:artifact", args=[execution.pk, own.pk]))

    assert answers == [404, 404, 404]
    assert foreign.status_code == 404


def test_an_artifact_replaced_by_a_link_to_another_runs_file_is_404(
    client, team, other_team, operator, outsider, artifacts_root
):
    theirs = artifact(make_run(other_team, outsider), artifacts_root, "t.zip", "trace", b"theirs")
    execution = make_run(team, operator)
    own = artifact(execution, artifacts_root, "shot.png", "screenshot", b"png", "image/png")
    planted = artifacts_root / own.path
    planted.unlink()
    planted.symlink_to(artifacts_root / theirs.path)
    client.force_login(operator)

    answer = client.get(reverse("executions:artifact", args=[execution.pk, own.pk]))

    assert answer.status_code == 404


def test_export_downloads_the_run_as_json(client, team, operator, outsider, artifacts_root):
    execution = make_run(team, operator)
    artifact(execution, artifacts_root, "r.txt", "report", b"ok", "text/plain")
    url = reverse("executions:export", args=[execution.pk])
    client.force_login(operator)

    response = client.get(url)
    client.force_login(outsider)
    foreign = client.get(url)

    data = json.loads(response.content)
    assert (
        response["Content-Disposition"] == f'attachment; filename="execution-{execution.pk}.json"'
    )
    assert data["id"] == str(execution.pk)
    assert [step["step_id"] for step in data["steps"]] == ["hello", "nap"]
    assert data["artifacts"][0]["name"] == "r.txt"
    assert data["events"][0]["type"] == "execution.status"
    assert foreign.status_code == 404


# Re-run and delete --------------------------------------------------------------------------
def test_rerun_starts_a_new_run_and_opens_it(client, team, operator, viewer):
    execution = make_run(team, operator)
    url = reverse("executions:rerun", args=[execution.pk])
    client.force_login(operator)

    response = client.post(url)
    refused = client.get(url)
    client.force_login(viewer)
    denied = client.post(url, follow=True)

    new = Execution.objects.exclude(pk=execution.pk).get()
    assert response.status_code == 302
    assert response["Location"] == reverse("executions:detail", args=[new.pk])
    assert (new.playbook_id, new.status) == (execution.playbook_id, "queued")
    assert refused.status_code == 405
    assert "needs the operator role" in denied.content.decode()
    assert Execution.objects.count() == 2


def test_bulk_delete_removes_finished_runs_and_refuses_live_ones(client, team, operator):
    done = make_run(team, operator, name="Done")
    live = make_run(team, operator, name="Live", status="running")
    client.force_login(operator)
    url = reverse("executions:delete")

    refused = client.post(url, {"ids": [done.pk, live.pk]}, follow=True)
    deleted = client.post(url, {"ids": [done.pk], "next": "/executions/?status=completed"})
    empty = client.post(url, {"ids": [], "next": "https://evil.example/"}, follow=True)

    assert "Cannot delete runs that are still queued, running or paused: Live (running)" in (
        refused.content.decode()
    )
    assert deleted.status_code == 302
    assert deleted["Location"] == "/executions/?status=completed"
    assert list(Execution.objects.values_list("playbook_name", flat=True)) == ["Live"]
    assert empty.redirect_chain[-1][0] == reverse("executions:list")
    assert "Select runs you can see to delete them." in empty.content.decode()


def test_bulk_delete_ignores_runs_of_other_teams(client, team, other_team, operator, outsider):
    foreign = make_run(other_team, outsider)
    client.force_login(operator)

    response = client.post(reverse("executions:delete"), {"ids": [foreign.pk]}, follow=True)

    assert "Select runs you can see" in response.content.decode()
    assert Execution.objects.filter(pk=foreign.pk).exists()
