"""``/api/v1/playbooks/<id>/trends/`` and ``/api/v1/gateways/<id>/trends/``: the trends as
JSON for any client of the team (token included), 404 for another team, 400 for a window
that is not offered, and the shape the schema declares."""

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.gateways.factories import GatewayFactory
from tests.playbooks.factories import PlaybookFactory
from tests.reports.history import FAIL, RETRIED, days_ago, finished_run, screenshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(team):
    playbook = PlaybookFactory(team=team, name="Nightly backup")
    gateway = GatewayFactory(team=team)
    finished_run(playbook, gateway=gateway, ended=days_ago(1), seconds=20, steps={"login": RETRIED})
    failed = finished_run(
        playbook,
        gateway=gateway,
        status="failed",
        ended=days_ago(0),
        seconds=40,
        steps={"login": FAIL},
    )
    shot = screenshot(failed, "login")
    return {"playbook": playbook, "gateway": gateway, "failed": failed, "shot": shot}


def client_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def test_a_playbooks_trends_as_json(history, viewer):
    response = client_for(viewer).get(f"/api/v1/playbooks/{history['playbook'].pk}/trends/?days=7")

    body = response.json()
    assert response.status_code == 200
    assert (body["days"], body["runs"], body["passed"], body["failed"]) == (7, 2, 1, 1)
    assert body["pass_rate"] == 0.5
    assert len(body["buckets"]) == 7
    assert body["buckets"][-1] == {
        "day": days_ago(0).date().isoformat(),
        "runs": 1,
        "passed": 0,
        "failed": 1,
        "pass_rate": 0.0,
        "median_seconds": 40.0,
        "p95_seconds": 40.0,
    }
    assert body["buckets"][0]["pass_rate"] is None
    (step,) = body["flaky_steps"]
    assert (step["step_id"], step["flips"], step["retry_passes"]) == ("login", 1, 1)
    assert step["last_failure_execution"] == str(history["failed"].pk)
    assert body["flaky_runs"] == 20
    failure = body["last_failure"]
    assert failure["execution"] == str(history["failed"].pk)
    assert failure["screenshot_url"] == (
        f"/api/v1/executions/{history['failed'].pk}/artifacts/{history['shot'].pk}/"
    )


def test_a_gateways_trends_default_to_thirty_days(history, viewer):
    response = client_for(viewer).get(f"/api/v1/gateways/{history['gateway'].pk}/trends/")

    assert response.status_code == 200
    assert (response.json()["days"], len(response.json()["buckets"])) == (30, 30)


def test_no_failure_is_null(team, viewer):
    playbook = PlaybookFactory(team=team)
    finished_run(playbook, ended=days_ago(0))

    body = client_for(viewer).get(f"/api/v1/playbooks/{playbook.pk}/trends/").json()

    assert (body["last_failure"], body["flaky_steps"]) == (None, [])


@pytest.mark.parametrize("kind", ["playbook", "gateway"])
def test_another_team_gets_404(history, outsider, kind):
    response = client_for(outsider).get(f"/api/v1/{kind}s/{history[kind].pk}/trends/")

    assert response.status_code == 404
    assert "does not exist or is not yours" in response.json()["detail"]


def test_a_window_not_offered_is_a_400_naming_it(history, viewer):
    response = client_for(viewer).get(f"/api/v1/playbooks/{history['playbook'].pk}/trends/?days=12")

    assert response.status_code == 400
    assert "days" in response.json()


def test_anonymous_clients_get_403(history):
    response = APIClient().get(f"/api/v1/playbooks/{history['playbook'].pk}/trends/")

    assert response.status_code == 403


def test_the_schema_documents_both_operations_and_their_errors():
    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]

    for path in ("/api/v1/playbooks/{id}/trends/", "/api/v1/gateways/{id}/trends/"):
        operation = paths[path]["get"]
        assert {"200", "400", "401", "403", "404"} <= set(operation["responses"])
        (days,) = [p for p in operation["parameters"] if p["name"] == "days"]
        assert days["schema"]["enum"] == [7, 30, 90]


@pytest.mark.parametrize("runs", [5, 50])
def test_the_api_answers_in_as_many_queries_whatever_the_history(
    team, viewer, runs, django_assert_num_queries
):
    playbook = PlaybookFactory(team=team)
    for index in range(runs):
        failed = finished_run(
            playbook,
            status="failed" if index % 2 else "completed",
            ended=days_ago(index % 5, hour=index % 24),
            steps={"login": FAIL if index % 2 else RETRIED},
        )
        screenshot(failed, "login")
    client = client_for(viewer)

    # The token and its user, the roles, the playbook, the days, the flaky steps' rows and
    # the last failure.
    with django_assert_num_queries(6):
        response = client.get(f"/api/v1/playbooks/{playbook.pk}/trends/?days=7")

    assert response.json()["runs"] == runs
