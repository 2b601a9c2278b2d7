"""DELETE /api/v1/executions/<id>/: operators of the run's team delete a finished run and its
stored files; anyone else changes nothing."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from apps.accounts.models import AuditEntry
from apps.executions.models import Artifact, Execution
from tests.executions.test_history import finished_run, with_files

pytestmark = pytest.mark.django_db


def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


@pytest.fixture
def stored(team, operator, settings, tmp_path):
    """A finished run with a screenshot in the artifact store."""
    settings.ARTIFACTS_ROOT = tmp_path
    execution = finished_run(team, operator)
    return execution, with_files(execution, tmp_path)


def test_an_operator_of_the_team_deletes_the_run_and_its_files(
    stored, operator, django_capture_on_commit_callbacks
):
    execution, folder = stored

    with django_capture_on_commit_callbacks(execute=True):
        response = token_client(operator).delete(f"/api/v1/executions/{execution.pk}/")

    assert response.status_code == 204
    assert not Execution.objects.filter(pk=execution.pk).exists()
    assert not Artifact.objects.exists()
    assert not folder.exists()
    entry = AuditEntry.objects.get(action="execution.delete")
    assert (entry.actor, entry.details["status"]) == (operator, "completed")


def test_another_team_gets_404_and_nothing_changes(stored, outsider):
    execution, folder = stored

    response = token_client(outsider).delete(f"/api/v1/executions/{execution.pk}/")

    assert response.status_code == 404
    assert Execution.objects.filter(pk=execution.pk).exists()
    assert (folder / "shot.png").exists()


def test_a_viewer_of_the_team_is_refused_and_nothing_changes(stored, viewer):
    execution, folder = stored

    response = token_client(viewer).delete(f"/api/v1/executions/{execution.pk}/")

    assert response.status_code == 403
    assert response.json()["detail"] == "Deleting runs needs the operator role."
    assert Execution.objects.filter(pk=execution.pk).exists()
    assert (folder / "shot.png").exists()


def test_anonymous_clients_are_refused(stored):
    execution, _ = stored

    response = APIClient().delete(f"/api/v1/executions/{execution.pk}/")

    assert response.status_code == 403
    assert Execution.objects.filter(pk=execution.pk).exists()


@pytest.mark.parametrize("status", ["queued", "running", "paused"])
def test_a_live_run_is_refused_with_409(team, operator, status):
    execution = finished_run(team, operator, status=status)

    response = token_client(operator).delete(f"/api/v1/executions/{execution.pk}/")

    assert response.status_code == 409
    assert response.json()["detail"].startswith("Cannot delete runs that are still queued")
    assert response.json()["live"] == [str(execution.pk)]
    assert Execution.objects.filter(pk=execution.pk, status=status).exists()


def test_session_clients_need_the_csrf_token(stored, operator):
    execution, _ = stored
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(operator)

    response = client.delete(f"/api/v1/executions/{execution.pk}/")

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert Execution.objects.filter(pk=execution.pk).exists()
