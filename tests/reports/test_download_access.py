"""Who may download a run's reports: anyone in its team; another team gets 404; anonymous
clients get 403 as on every API route, never a redirect to the login page."""

import pytest
from rest_framework.test import APIClient

from apps.executions.services.launch import execution_start
from tests.executions.factories import HELLO_STEP, playbook

pytestmark = pytest.mark.django_db
DOWNLOADS = ["report.junit.xml", "report.html", "report.json", "artifacts.zip"]


@pytest.fixture
def queued(team, operator):
    return execution_start(playbook(team, HELLO_STEP), actor=operator)


@pytest.mark.parametrize("name", DOWNLOADS)
def test_a_viewer_of_the_team_downloads_even_a_queued_run(queued, viewer, name):
    client = APIClient()
    client.force_authenticate(viewer)

    response = client.get(f"/api/v1/executions/{queued.pk}/{name}", HTTP_ACCEPT="text/plain")

    assert response.status_code == 200
    assert f'filename="execution-{queued.pk}' in response["Content-Disposition"]


@pytest.mark.parametrize("name", [*DOWNLOADS, "artifacts/1/"])
def test_another_team_gets_404(queued, outsider, name):
    client = APIClient()
    client.force_authenticate(outsider)

    response = client.get(f"/api/v1/executions/{queued.pk}/{name}")

    assert response.status_code == 404
    assert "does not exist or is not yours" in response.json()["detail"]


@pytest.mark.parametrize("name", [*DOWNLOADS, "artifacts/1/"])
def test_anonymous_clients_get_403_not_the_login_page(queued, name):
    response = APIClient().get(f"/api/v1/executions/{queued.pk}/{name}")

    assert response.status_code == 403
    assert "Location" not in response
    assert "credentials were not provided" in response.json()["detail"]


def test_an_unknown_artifact_of_a_visible_run_is_404(queued, viewer):
    client = APIClient()
    client.force_authenticate(viewer)

    assert client.get(f"/api/v1/executions/{queued.pk}/artifacts/999999/").status_code == 404


def test_the_html_report_keeps_its_own_offline_policy(queued, viewer):
    client = APIClient()
    client.force_authenticate(viewer)

    response = client.get(f"/api/v1/executions/{queued.pk}/report.html")

    assert response["Content-Security-Policy"].startswith("default-src 'none'; img-src data:")
    assert b"<script" not in response.content


def test_the_run_page_links_each_report(client, queued, viewer):
    client.force_login(viewer)

    page = client.get(f"/executions/{queued.pk}/").content.decode()

    for name in ("report.html", "report.junit.xml", "artifacts.zip"):
        assert f'href="/api/v1/executions/{queued.pk}/{name}" download' in page
        assert client.get(f"/api/v1/executions/{queued.pk}/{name}").status_code == 200  # session
