"""The batches API: launch by tag or selection (all or nothing), summary, controls, reports."""

from xml.etree import ElementTree

import pytest
from rest_framework.test import APIClient

from apps.executions.models import Batch, Execution
from tests.batches.helpers import batch_playbook, tagged_gateways
from tests.executions.factories import playbook
from tests.gateways.factories import GatewayFactory

pytestmark = pytest.mark.django_db
URLS = {"gw-a": "http://127.0.0.1:9001", "gw-b": "http://127.0.0.1:9002"}


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def fleet(team):
    return tagged_gateways(team, {**URLS, "gw-c": "http://127.0.0.1:9003"})


def launch(api, user, django_capture_on_commit_callbacks, **body):
    api.force_authenticate(user)
    with django_capture_on_commit_callbacks(execute=True):
        return api.post("/api/v1/batches/", body, format="json")


def test_a_tag_launches_one_run_per_gateway_and_holds_those_over_the_limit(
    api, team, operator, fleet, django_capture_on_commit_callbacks
):
    book = batch_playbook(team)
    GatewayFactory(team=team, name="gw-untagged", tags=["plant-b"])

    response = launch(
        api, operator, django_capture_on_commit_callbacks,
        playbook=book.pk, gateway_tag="plant-a", concurrency=2, policy="stop",
    )  # fmt: skip

    assert response.status_code == 201, response.json()
    body = response.json()
    batch = Batch.objects.get()
    assert (body["id"], body["status"], body["gateway_tag"]) == (
        str(batch.pk),
        "running",
        "plant-a",
    )
    assert [row["gateway"] for row in body["runs"]] == ["gw-a", "gw-b", "gw-c"]
    assert body["counts"] == {"queued": 3}
    assert body["url"] == f"/executions/batches/{batch.pk}/"
    runs = Execution.objects.filter(batch=batch).order_by("gateway__name")
    assert [run.parameters["gateway_url"] for run in runs] == [
        *URLS.values(),
        "http://127.0.0.1:9003",
    ]
    assert [run.dispatched_at is not None for run in runs] == [True, True, False]


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({"gateway_tag": "plant-z"}, 400, "No gateway of team Line 1 is tagged 'plant-z'."),
        ({"gateway_tag": "plant-a", "gateways": [1]}, 400, "Give either gateways (ids) or "
         "gateway_tag, not both."),
        ({}, 400, "Give either gateways (ids) or gateway_tag, not both."),
        ({"gateway_tag": "plant-a", "parameters": {"colour": "red"}}, 400,
         "Invalid parameters: unknown parameter 'colour'"),
        ({"gateway_tag": "plant-a", "concurrency": 0}, 400, None),
    ],
)  # fmt: skip
def test_bad_launches_are_refused_and_create_nothing(
    api, team, operator, fleet, django_capture_on_commit_callbacks, body, status, message
):
    response = launch(
        api, operator, django_capture_on_commit_callbacks,
        playbook=batch_playbook(team).pk, **body,
    )  # fmt: skip

    assert response.status_code == status
    if message:
        assert response.json()["detail"].startswith(message)
    assert (Batch.objects.count(), Execution.objects.count()) == (0, 0)


def test_a_gateway_the_user_cannot_see_is_not_found_and_nothing_is_created(
    api, team, other_team, operator, fleet, django_capture_on_commit_callbacks
):
    hidden = GatewayFactory(team=other_team, name="elsewhere", tags=["plant-a"])
    book = batch_playbook(team)

    response = launch(
        api, operator, django_capture_on_commit_callbacks,
        playbook=book.pk, gateways=[fleet[0].pk, hidden.pk, 999999],
    )  # fmt: skip

    assert response.status_code == 404
    assert response.json()["detail"] == (
        f"Gateway {hidden.pk}, 999999 does not exist or is not yours."
    )
    assert (Batch.objects.count(), Execution.objects.count()) == (0, 0)


def test_viewers_cannot_launch_batches(
    api, team, viewer, fleet, django_capture_on_commit_callbacks
):
    response = launch(
        api, viewer, django_capture_on_commit_callbacks,
        playbook=batch_playbook(team).pk, gateway_tag="plant-a",
    )  # fmt: skip

    assert response.status_code == 403
    assert (Batch.objects.count(), Execution.objects.count()) == (0, 0)


def test_a_selection_runs_on_those_gateways_only(
    api, team, operator, fleet, django_capture_on_commit_callbacks
):
    response = launch(
        api, operator, django_capture_on_commit_callbacks,
        playbook=batch_playbook(team).pk, gateways=[fleet[2].pk, fleet[0].pk],
    )  # fmt: skip

    assert response.status_code == 201
    assert [row["gateway"] for row in response.json()["runs"]] == ["gw-a", "gw-c"]
    assert response.json()["gateway_tag"] == ""


def test_cancel_all_ends_every_run_and_the_batch_then_refuses_controls(
    api, team, operator, fleet, django_capture_on_commit_callbacks
):
    launched = launch(
        api, operator, django_capture_on_commit_callbacks,
        playbook=batch_playbook(team).pk, gateway_tag="plant-a", concurrency=1,
    ).json()  # fmt: skip
    url = f"/api/v1/batches/{launched['id']}/"

    with django_capture_on_commit_callbacks(execute=True):
        cancelled = api.post(url + "cancel/")
    summary = api.get(url).json()

    assert cancelled.status_code == 200
    assert (summary["status"], summary["status_reason"]) == (
        "cancelled",
        "Cancelled by oscar-operator.",
    )
    assert summary["counts"] == {"cancelled": 3}
    assert api.post(url + "cancel/").status_code == 409
    assert api.get(f"/api/v1/batches/{launched['id']}/").json()["finished_at"] is not None


def test_retry_is_refused_while_the_batch_runs(
    api, team, operator, fleet, django_capture_on_commit_callbacks
):
    launched = launch(
        api, operator, django_capture_on_commit_callbacks,
        playbook=batch_playbook(team).pk, gateway_tag="plant-a",
    ).json()  # fmt: skip

    response = api.post(f"/api/v1/batches/{launched['id']}/retry/")

    assert response.status_code == 409
    assert response.json()["detail"].startswith("Cannot retry: the batch is still running")


def test_other_teams_batches_are_not_found(
    api, team, operator, outsider, fleet, django_capture_on_commit_callbacks
):
    launched = launch(
        api, operator, django_capture_on_commit_callbacks,
        playbook=batch_playbook(team).pk, gateway_tag="plant-a",
    ).json()  # fmt: skip
    api.force_authenticate(outsider)

    assert api.get(f"/api/v1/batches/{launched['id']}/").status_code == 404
    assert api.post(f"/api/v1/batches/{launched['id']}/cancel/").status_code == 404
    assert api.get(f"/api/v1/batches/{launched['id']}/report.junit.xml").status_code == 404
    assert api.get("/api/v1/batches/").json()["results"] == []


def test_reports_give_a_testsuite_per_gateway_and_the_summary(
    api, team, operator, fleet, django_capture_on_commit_callbacks
):
    launched = launch(
        api, operator, django_capture_on_commit_callbacks,
        playbook=batch_playbook(team).pk, gateway_tag="plant-a",
    ).json()  # fmt: skip

    junit = api.get(f"/api/v1/batches/{launched['id']}/report.junit.xml")
    summary = api.get(f"/api/v1/batches/{launched['id']}/report.json")

    root = ElementTree.fromstring(junit.content)  # noqa: S314 - the portal's own document
    suites = root.findall("testsuite")
    assert [suite.get("name") for suite in suites] == [
        "Fleet check @ gw-a",
        "Fleet check @ gw-b",
        "Fleet check @ gw-c",
    ]
    assert root.get("tests") == "9"
    gateway_of = {
        suite.get("name"): suite.find("properties/property[@name='gateway']").get("value")
        for suite in suites
    }
    assert gateway_of["Fleet check @ gw-b"] == "gw-b"
    assert summary.json()["runs"][1]["gateway"] == "gw-b"
    assert summary["Content-Disposition"] == f'attachment; filename="batch-{launched["id"]}.json"'


def test_a_playbook_of_another_team_cannot_target_this_teams_gateways(
    api, team, other_team, admin_user, fleet, django_capture_on_commit_callbacks
):
    book = playbook(other_team, "- {id: a, name: A, type: utility.log, parameters: {message: a}}")

    response = launch(
        api, admin_user, django_capture_on_commit_callbacks,
        playbook=book.pk, gateways=[fleet[0].pk],
    )  # fmt: skip

    assert response.status_code == 400
    assert response.json()["detail"] == (
        "Gateway gw-a belongs to another team than playbook 'Engine test'."
    )
    assert Batch.objects.count() == 0
