"""JSON nested too deeply is refused with a 400 naming the depth limit, never a crash."""

import json

import pytest
from django.test import Client
from django_celery_beat.models import PeriodicTask

from apps.core.json_input import JSON_MAX_DEPTH
from apps.executions.models import Execution
from apps.playbooks.models import Playbook
from apps.schedules.models import Schedule
from tests.executions.factories import playbook
from tests.schedules.factories import scheduled_playbook

pytestmark = pytest.mark.django_db

DEPTH_PROBLEM = f"JSON nested deeper than {JSON_MAX_DEPTH} levels"
PARAMETERS = """
    - name: tags
      type: list
      required: false
"""
STEP = """
    - id: hello
      name: Hello
      type: utility.log
      parameters: {message: hello}
"""


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def launch_body(book, tags: str) -> str:
    """A launch request's JSON text with ``tags`` (JSON text) as a parameter value."""
    return '{"playbook": ' + str(book.pk) + ', "parameters": {"tags": ' + tags + "}}"


def api_client(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


@pytest.mark.parametrize(("_case", "depth"), [("beyond the parser", 100_000), ("over", 101)])
def test_api_body_nested_too_deeply_is_a_400(team, operator, _case, depth):
    book = playbook(team, STEP, parameters=PARAMETERS)
    body = launch_body(book, nested(depth))

    response = api_client(operator).post(
        "/api/v1/executions/", body, content_type="application/json"
    )

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert DEPTH_PROBLEM in response.json()["detail"]
    assert Execution.objects.count() == 0


def test_api_body_at_the_limit_is_read(team, operator):
    book = playbook(team, STEP, parameters=PARAMETERS)
    tags = nested(JSON_MAX_DEPTH - 2)
    body = launch_body(book, tags)

    response = api_client(operator).post(
        "/api/v1/executions/", body, content_type="application/json"
    )

    assert response.status_code == 201, response.content
    assert Execution.objects.get().parameters["tags"] == json.loads(tags)


def test_launch_parameter_text_nested_too_deeply_names_the_parameter(team, operator):
    book = playbook(team, STEP, parameters=PARAMETERS)
    body = {"playbook": book.pk, "parameters": {"tags": nested(20_000)}}

    response = api_client(operator).post(
        "/api/v1/executions/", body, content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["problems"] == [
        f"'tags' {DEPTH_PROBLEM}: use at most {JSON_MAX_DEPTH} nested lists or objects."
    ]
    assert Execution.objects.count() == 0


def test_playbook_import_nested_too_deeply_is_a_400(team, editor):
    content = '{"_export_metadata": {}, "steps": ' + nested(100_000) + "}"

    response = api_client(editor).post(
        "/api/v1/playbooks/import/",
        {"content": content, "filename": "deep.json"},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert DEPTH_PROBLEM in response.json()["detail"]
    assert Playbook.objects.count() == 0


@pytest.mark.parametrize("field", ["parameters", "secret_values"])
def test_schedule_form_json_nested_too_deeply_is_a_field_error(team, operator, field):
    book = scheduled_playbook(team)
    data = {
        "name": "Morning check",
        "playbook": book.pk,
        "kind": "weekly",
        "days_of_week": ["mon"],
        "time_of_day": "06:15",
        "time_zone": "UTC",
        "parameters": "{}",
        field: '{"a": ' + nested(100_000) + "}",
    }

    response = api_client(operator).post("/schedules/new/", data, HTTP_HX_REQUEST="true")

    assert response.status_code == 422
    assert DEPTH_PROBLEM in response.content.decode()
    assert Schedule.objects.count() == PeriodicTask.objects.count() == 0
