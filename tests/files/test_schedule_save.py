"""A schedule's file parameter that names a library file is checked when the schedule is saved,
on the page and through the API: a file of another team, an unknown one or a missing version is
refused under ``parameters`` and nothing is saved; the team's own file is kept as named."""

import json

import pytest
from rest_framework.test import APIClient

from apps.schedules.models import Schedule
from tests.executions.factories import playbook
from tests.files.helpers import PARAMETERS, STEP, uploaded

pytestmark = pytest.mark.django_db


@pytest.fixture
def installer(team):
    return playbook(team, STEP, parameters=PARAMETERS, name="Module install")


@pytest.fixture
def theirs(other_team, outsider):
    return uploaded(other_team, outsider, name="theirs.modl").file


def refusals(team, theirs) -> list[tuple[dict, str]]:
    return [
        ({"file": "nope.modl"}, f"'module_file': no library file named 'nope.modl' in team {team}"),
        (
            {"file": theirs.pk},
            f"'module_file': library file {theirs.pk} belongs to another team; "
            f"choose a file of {team}",
        ),
        (
            {"file": "demo.modl", "version": 3},
            "'module_file': file 'demo.modl' has no version 3 (the latest is 1)",
        ),
    ]


def api_body(book, value) -> dict:
    return {
        "name": "Nightly install",
        "playbook": book.pk,
        "kind": "cron",
        "cron_expression": "30 6 * * 1-5",
        "time_zone": "Europe/Berlin",
        "parameters": {"module_file": value},
    }


def form_body(book, value) -> dict:
    return {
        "name": "Nightly install",
        "playbook": book.pk,
        "kind": "daily",
        "time_of_day": "06:15",
        "time_zone": "Europe/Berlin",
        "parameters": json.dumps({"module_file": value}),
        "enabled": "on",
    }


def test_the_api_refuses_a_file_outside_the_teams_library(
    team, editor, operator, installer, theirs
):
    uploaded(team, editor)
    client = APIClient()
    client.force_authenticate(operator)

    for value, problem in refusals(team, theirs):
        response = client.post("/api/v1/schedules/", api_body(installer, value), format="json")

        assert response.status_code == 400, value
        assert response.json()["parameters"] == [problem]
    assert not Schedule.objects.exists()

    saved = client.post("/api/v1/schedules/", api_body(installer, {"file": "demo.modl"}), "json")
    assert saved.status_code == 201
    assert Schedule.objects.get().parameters == {"module_file": {"file": "demo.modl"}}


def test_the_page_shows_the_problem_next_to_the_parameters(
    client, team, editor, operator, installer, theirs
):
    uploaded(team, editor)
    client.force_login(operator)

    for value, problem in refusals(team, theirs):
        response = client.post("/schedules/new/", form_body(installer, value))

        assert response.status_code == 422, value
        assert response.context["form"].errors["parameters"] == [problem]
    assert not Schedule.objects.exists()

    saved = client.post("/schedules/new/", form_body(installer, {"file": "demo.modl"}))
    assert saved.status_code == 302
    schedule = Schedule.objects.get()
    assert schedule.parameters == {"module_file": {"file": "demo.modl"}}


def test_editing_a_schedule_checks_the_file_too(team, editor, operator, installer, theirs):
    version = uploaded(team, editor)
    client = APIClient()
    client.force_authenticate(operator)
    created = client.post(
        "/api/v1/schedules/", api_body(installer, {"file": version.file_id}), format="json"
    )

    response = client.patch(
        f"/api/v1/schedules/{created.json()['id']}/",
        {"parameters": {"module_file": {"file": theirs.pk}}},
        format="json",
    )

    assert response.status_code == 400
    assert "belongs to another team" in response.json()["parameters"][0]
    assert Schedule.objects.get().parameters == {"module_file": {"file": version.file_id}}
