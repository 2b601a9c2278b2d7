"""The run page's rows as fragments: one step, the log after a seq, the artifacts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.executions.models import Artifact, Execution, ExecutionEvent
from apps.executions.run_views import LOG_PAGE_SIZE
from tests.executions.factories import artifact_row
from tests.executions.test_views import make_run

pytestmark = pytest.mark.django_db


def add_events(execution, *payloads, event_type="log") -> None:
    """Store events after the run's last ``seq``, as the engine does."""
    first = execution.last_seq + 1
    ExecutionEvent.objects.bulk_create(
        ExecutionEvent(execution=execution, seq=first + index, type=event_type, payload=payload)
        for index, payload in enumerate(payloads)
    )
    execution.last_seq = first + len(payloads) - 1
    Execution.objects.filter(pk=execution.pk).update(last_seq=execution.last_seq)


def add_artifact(execution, name, kind="screenshot", step=None, size=2048) -> Artifact:
    content_type = "image/png" if kind == "screenshot" else "text/plain"
    return artifact_row(execution, name, kind, size=size, content_type=content_type, step=step)


def urls(execution) -> dict[str, str]:
    return {
        "step": reverse("executions:step-row", args=[execution.pk, "0"]),
        "log": reverse("executions:log-lines", args=[execution.pk]) + "?after=0",
        "artifacts": reverse("executions:artifacts", args=[execution.pk]),
    }


# One step ------------------------------------------------------------------------------------
def test_step_row_shows_the_stored_step_with_its_artifact_links(client, team, operator):
    execution = make_run(team, operator, status="running")
    step = execution.steps.get(path="0")
    step.status, step.attempts, step.outputs = "completed", 2, {"user": "[SECURE]"}
    step.started_at, step.finished_at = timezone.now(), timezone.now()
    step.save()
    shot = add_artifact(execution, "after-login.png", step=step)
    client.force_login(operator)

    response = client.get(reverse("executions:step-row", args=[execution.pk, "0"]))

    body = response.content.decode()
    assert response.status_code == 200
    assert [template.name for template in response.templates] == ["executions/_step.html"]
    assert body.startswith('<li class="step" data-path="0" data-status="completed"')
    assert "attempt 2" in body
    assert "&quot;user&quot;: &quot;[SECURE]&quot;" in body
    link = reverse("executions:artifact", args=[execution.pk, shot.pk])
    assert f'<a href="{link}" target="_blank" rel="noopener">after-login.png</a>' in body


def test_step_row_of_a_nested_step_has_its_depth(client, team, operator):
    execution = make_run(team, operator, status="running")
    parent = execution.steps.get(path="0")
    execution.steps.create(
        parent=parent, path="0.1", position=9, step_id="inner", name="Inner", type="utility.log"
    )
    client.force_login(operator)

    response = client.get(reverse("executions:step-row", args=[execution.pk, "0.1"]))

    assert 'data-path="0.1" data-status="pending" data-depth="1"' in response.content.decode()


def test_run_page_lists_a_child_playbooks_steps_under_their_parent(client, team, operator):
    execution = make_run(team, operator, status="running")
    parent = execution.steps.get(path="0")
    for index in range(2):
        execution.steps.create(
            parent=parent, path=f"0.{index}", position=9 + index, step_id=f"inner{index}"
        )
    client.force_login(operator)

    response = client.get(reverse("executions:detail", args=[execution.pk]))

    assert [step.path for step in response.context["steps"]] == ["0", "0.0", "0.1", "1"]


def test_step_row_of_an_unknown_path_is_404(client, team, operator):
    execution = make_run(team, operator)
    client.force_login(operator)

    response = client.get(reverse("executions:step-row", args=[execution.pk, "7"]))

    assert response.status_code == 404


# The log -------------------------------------------------------------------------------------
def test_log_lines_after_a_seq_come_in_order_with_control_lines(client, team, operator):
    execution = make_run(team, operator, status="running")
    shown = execution.last_seq
    add_events(execution, {"level": "info", "message": "Shown already"})
    add_events(execution, {"level": "warning", "message": "Careful"})
    add_events(execution, {"path": "0", "status": "running"}, event_type="step.status")
    add_events(execution, {"command": "pause", "by": "oscar"}, event_type="control")
    client.force_login(operator)

    response = client.get(
        reverse("executions:log-lines", args=[execution.pk]), {"after": shown + 1}
    )

    lines = response.context["log"]
    assert [template.name for template in response.templates] == [
        "executions/_log_lines.html",
        "executions/_log_line.html",
        "executions/_log_line.html",
    ]
    assert [(line.seq, line.text) for line in lines] == [
        (shown + 2, "Careful"),
        (shown + 4, "oscar requested pause"),
    ]
    body = response.content.decode()
    assert body.index("Careful") < body.index("oscar requested pause")
    assert f'data-level="warning" data-seq="{shown + 2}"' in body
    assert "Shown already" not in body


def test_log_lines_come_at_most_a_page_at_a_time(client, team, operator):
    execution = make_run(team, operator, status="running")
    first = execution.last_seq + 1
    add_events(execution, *({"message": f"line {n}"} for n in range(LOG_PAGE_SIZE + 1)))
    url = reverse("executions:log-lines", args=[execution.pk])
    client.force_login(operator)

    page = client.get(url, {"after": first - 1}).context["log"]
    rest = client.get(url, {"after": page[-1].seq}).context["log"]
    beyond = client.get(url, {"after": "9" * 20})

    assert LOG_PAGE_SIZE == 500
    assert [line.seq for line in page] == list(range(first, first + LOG_PAGE_SIZE))
    assert [line.text for line in rest] == [f"line {LOG_PAGE_SIZE}"]
    assert (beyond.status_code, beyond.context["log"]) == (200, [])


@pytest.mark.parametrize("after", ["", "x", "-1", "1.5"])
def test_log_lines_need_a_whole_seq(client, team, operator, after):
    execution = make_run(team, operator)
    client.force_login(operator)

    response = client.get(reverse("executions:log-lines", args=[execution.pk]), {"after": after})

    assert response.status_code == 400
    assert response.content.decode() == (
        "Give ?after= the seq of the last log line shown (a whole number, 0 for all)."
    )


# The artifacts -------------------------------------------------------------------------------
def test_artifacts_show_the_gallery_the_list_and_the_step_of_each(client, team, operator):
    execution = make_run(team, operator, status="running")
    step = execution.steps.get(path="1")
    shot = add_artifact(execution, "page.png", step=step, size=2048)
    report = add_artifact(execution, "report.txt", kind="report", size=12)
    client.force_login(operator)

    response = client.get(reverse("executions:artifacts", args=[execution.pk]))

    body = response.content.decode()
    shot_url = reverse("executions:artifact", args=[execution.pk, shot.pk])
    report_url = reverse("executions:artifact", args=[execution.pk, report.pk])
    gallery = body[body.index('id="gallery"') : body.index('id="artifacts"')]
    assert f'<img src="{shot_url}" alt="page.png" loading="lazy">' in gallery
    assert report_url not in gallery
    assert body.index(f'data-artifact-id="{shot.pk}"') < body.index(
        f'data-artifact-id="{report.pk}"'
    )
    assert "step 1" in body
    assert "2.0\xa0KB" in body
    assert f'href="{report_url}?download=1"' in body
    assert 'id="artifacts-empty" hidden' in body


def test_artifacts_of_a_run_without_files_say_so(client, team, operator):
    execution = make_run(team, operator, status="running")
    client.force_login(operator)

    body = client.get(reverse("executions:artifacts", args=[execution.pk])).content.decode()

    assert '<p class="muted empty" id="artifacts-empty">' in body
    assert "data-artifact-id" not in body


# Access and queries -------------------------------------------------------------------------
@pytest.mark.parametrize("fragment", ["step", "log", "artifacts"])
def test_fragments_follow_the_run_pages_access(client, team, operator, viewer, outsider, fragment):
    execution = make_run(team, operator, status="running")
    add_artifact(execution, "secret-page.png", step=execution.steps.get(path="0"))
    add_events(execution, {"message": "for the team only"})
    url = urls(execution)[fragment]

    anonymous = client.get(url)
    client.force_login(outsider)
    foreign = client.get(url)
    client.force_login(viewer)
    own = client.get(url)

    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("accounts:login"))
    assert foreign.status_code == 404
    assert b"secret-page.png" not in foreign.content
    assert b"for the team only" not in foreign.content
    assert own.status_code == 200


@pytest.mark.parametrize("fragment", ["step", "log", "artifacts"])
def test_fragments_use_a_constant_number_of_queries(client, team, operator, fragment):
    execution = make_run(team, operator, status="running")
    step = execution.steps.get(path="0")
    add_artifact(execution, "one.png", step=step)
    add_events(execution, {"message": "one"})
    url = urls(execution)[fragment]
    client.force_login(operator)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for index in range(9):
        add_artifact(execution, f"more-{index}.png", step=step)
        add_events(execution, {"message": f"more {index}"})

    with CaptureQueriesContext(connection) as ten:
        response = client.get(url)

    assert response.content.count(b"more-8.png" if fragment != "log" else b"more 8") >= 1
    assert len(ten) == len(one)
