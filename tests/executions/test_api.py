"""The executions API: launch, read with steps and queue position, events, controls."""

import pytest
from rest_framework.test import APIClient

from apps.executions.models import Execution
from apps.executions.services.launch import execution_start
from tests.executions.factories import playbook

pytestmark = pytest.mark.django_db

NAP = """
    - id: nap
      name: Nap
      type: utility.sleep
      parameters: {seconds: 5}
"""


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def queued(team, operator):
    return execution_start(playbook(team, NAP), actor=operator)


def test_operators_start_runs(api, team, operator, django_capture_on_commit_callbacks):
    book = playbook(team, NAP)
    api.force_authenticate(operator)

    with django_capture_on_commit_callbacks() as callbacks:
        response = api.post(
            "/api/v1/executions/", {"playbook": book.pk, "debug": True}, format="json"
        )

    assert response.status_code == 201
    execution = Execution.objects.get()
    assert response.json()["id"] == str(execution.pk)
    assert (execution.status, execution.debug) == ("queued", True)
    assert len(callbacks) == 2


def test_bad_parameters_answer_400_with_every_problem(api, team, operator):
    book = playbook(team, NAP)
    api.force_authenticate(operator)

    response = api.post(
        "/api/v1/executions/", {"playbook": book.pk, "parameters": {"nope": 1}}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["problems"] == ["unknown parameter 'nope'"]
    assert Execution.objects.count() == 0


def test_playbooks_of_other_teams_are_not_found(api, other_team, operator):
    book = playbook(other_team, NAP)
    api.force_authenticate(operator)

    response = api.post("/api/v1/executions/", {"playbook": book.pk}, format="json")

    assert response.status_code == 404
    assert Execution.objects.count() == 0


def test_detail_has_steps_and_queue_position(api, operator, queued):
    api.force_authenticate(operator)

    body = api.get(f"/api/v1/executions/{queued.pk}/").json()

    assert (body["status"], body["queue_position"]) == ("queued", 1)
    assert [(s["path"], s["step_id"], s["status"]) for s in body["steps"]] == [
        ("0", "nap", "pending")
    ]


def test_a_running_run_names_its_running_step_in_the_list_and_the_detail(api, operator, queued):
    Execution.objects.filter(pk=queued.pk).update(status="running")
    queued.steps.filter(step_id="nap").update(status="running")
    api.force_authenticate(operator)

    listed = api.get("/api/v1/executions/").json()["results"][0]
    detail = api.get(f"/api/v1/executions/{queued.pk}/").json()

    assert (listed["current_step"], detail["current_step"]) == ("Nap", "Nap")
    queued.steps.filter(step_id="nap").update(status="completed")
    assert api.get(f"/api/v1/executions/{queued.pk}/").json()["current_step"] == ""


def test_list_is_scoped_filtered_and_has_constant_queries(
    api, team, other_team, operator, outsider, queued, django_assert_num_queries
):
    execution_start(playbook(other_team, NAP), actor=outsider)
    for _ in range(3):
        execution_start(queued.playbook, actor=operator)
    api.force_authenticate(operator)

    with django_assert_num_queries(2):
        body = api.get("/api/v1/executions/", {"status": "queued"}).json()

    assert body["count"] == 4
    assert api.get("/api/v1/executions/", {"status": "completed"}).json()["count"] == 0


@pytest.mark.parametrize(
    ("query", "problem"),
    [
        ({"playbook": "abc"}, {"playbook": ["A valid integer is required."]}),
        ({"requested_by": "x"}, {"requested_by": ["A valid integer is required."]}),
        ({"status": "bogus"}, {"status": ['"bogus" is not a valid choice.']}),
    ],
)
def test_bad_list_filters_answer_400_naming_the_filter(api, operator, query, problem):
    api.force_authenticate(operator)

    response = api.get("/api/v1/executions/", query)

    assert (response.status_code, response.json()) == (400, problem)


def test_a_bad_event_position_answers_400(api, operator, queued):
    api.force_authenticate(operator)

    response = api.get(f"/api/v1/executions/{queued.pk}/events/", {"after": "abc"})

    assert (response.status_code, response.json()) == (
        400,
        {"after": ["A valid integer is required."]},
    )


def test_events_after_a_seq_fill_gaps(api, operator, queued):
    api.force_authenticate(operator)

    events = api.get(f"/api/v1/executions/{queued.pk}/events/", {"after": 0}).json()
    later = api.get(f"/api/v1/executions/{queued.pk}/events/", {"after": 1}).json()

    assert [(e["seq"], e["type"]) for e in events] == [(1, "execution.status")]
    assert later == []


def test_cancel_then_a_second_cancel_is_a_conflict(api, operator, queued):
    api.force_authenticate(operator)

    first = api.post(f"/api/v1/executions/{queued.pk}/cancel/")
    second = api.post(f"/api/v1/executions/{queued.pk}/cancel/")

    assert (first.status_code, first.json()["status"]) == (200, "cancelled")
    assert second.status_code == 409
    assert second.json() == {
        "detail": "Cannot cancel: the run already ended (cancelled).",
        "status": "cancelled",
    }


@pytest.mark.parametrize(
    ("action", "payload", "expected"),
    [
        ("pause", {}, 200),
        ("resume", {}, 409),
        ("skip", {}, 409),
        ("skip-back", {}, 409),
        ("debug", {"enabled": False}, 200),
        ("command", {"command": "browser.click", "x": 5, "y": 6}, 409),
        ("command", {"command": "not a command"}, 400),
    ],
)
def test_controls_on_a_queued_run(api, operator, queued, action, payload, expected):
    api.force_authenticate(operator)

    response = api.post(f"/api/v1/executions/{queued.pk}/{action}/", payload, format="json")

    assert response.status_code == expected


def test_viewers_read_but_cannot_control(api, viewer, queued):
    api.force_authenticate(viewer)

    assert api.get(f"/api/v1/executions/{queued.pk}/").status_code == 200
    response = api.post(f"/api/v1/executions/{queued.pk}/cancel/")

    assert response.status_code == 403
    assert Execution.objects.get(pk=queued.pk).cancel_requested is False


def test_outsiders_and_anonymous_are_refused(api, outsider, queued):
    assert api.get(f"/api/v1/executions/{queued.pk}/").status_code == 403
    api.force_authenticate(outsider)

    assert api.get(f"/api/v1/executions/{queued.pk}/").status_code == 404
    assert api.post(f"/api/v1/executions/{queued.pk}/cancel/").status_code == 404
    assert api.get("/api/v1/executions/not-a-uuid/").status_code == 404
