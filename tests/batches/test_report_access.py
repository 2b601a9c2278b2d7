"""Who may download a batch's reports and artifacts zip: anyone in its team (even while its runs
are queued); another team gets 404; anonymous clients get 403, never the login page."""

import pytest
from rest_framework.test import APIClient

from apps.executions.services.batches import batch_start
from tests.batches.helpers import batch_playbook, tagged_gateways

pytestmark = pytest.mark.django_db
DOWNLOADS = {
    "report.html": "text/html; charset=utf-8",
    "report.junit.xml": "application/xml",
    "report.json": "application/json",
    "artifacts.zip": "application/zip",
}


@pytest.fixture
def queued(team, operator):
    gateways = tagged_gateways(
        team, {"gw-a": "http://127.0.0.1:9001", "gw-b": "http://127.0.0.1:9002"}
    )
    return batch_start(batch_playbook(team), actor=operator, gateways=gateways, concurrency=1)


@pytest.mark.parametrize("name", DOWNLOADS)
def test_a_viewer_of_the_team_downloads_a_queued_batch(queued, viewer, name):
    client = APIClient()
    client.force_authenticate(viewer)

    response = client.get(f"/api/v1/batches/{queued.pk}/{name}", HTTP_ACCEPT="text/plain")

    assert response.status_code == 200
    assert response["Content-Type"] == DOWNLOADS[name]
    assert f'filename="batch-{queued.pk}' in response["Content-Disposition"]


@pytest.mark.parametrize("name", DOWNLOADS)
def test_another_team_gets_404(queued, outsider, name):
    client = APIClient()
    client.force_authenticate(outsider)

    response = client.get(f"/api/v1/batches/{queued.pk}/{name}")

    assert response.status_code == 404
    assert "does not exist or is not yours" in response.json()["detail"]


@pytest.mark.parametrize("name", DOWNLOADS)
def test_anonymous_clients_get_403_not_the_login_page(queued, name):
    response = APIClient().get(f"/api/v1/batches/{queued.pk}/{name}")

    assert response.status_code == 403
    assert "Location" not in response
    assert "credentials were not provided" in response.json()["detail"]


def test_the_html_report_keeps_its_own_offline_policy(queued, viewer):
    client = APIClient()
    client.force_authenticate(viewer)

    response = client.get(f"/api/v1/batches/{queued.pk}/report.html")

    assert response["Content-Security-Policy"].startswith("default-src 'none'; img-src data:")
    assert b"<script" not in response.content
    assert response.content.decode().count('<tr class="gateway"') == 2


def test_the_batch_page_links_each_report(client, queued, viewer):
    client.force_login(viewer)

    page = client.get(f"/executions/batches/{queued.pk}/").content.decode()

    for name in DOWNLOADS:
        assert f'href="/api/v1/batches/{queued.pk}/{name}" download' in page
        assert client.get(f"/api/v1/batches/{queued.pk}/{name}").status_code == 200  # session
