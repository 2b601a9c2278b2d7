"""The trends pages: charts drawn on the server, their figures as a table, flaky steps, the
last failure's screenshot through the run's artifact view, and the links that lead there."""

import re

import pytest
from django.test import Client

from tests.gateways.factories import GatewayFactory
from tests.playbooks.factories import PlaybookFactory
from tests.reports.history import FAIL, PASS, RETRIED, days_ago, finished_run, screenshot

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n-trends"


@pytest.fixture
def history(team, settings, tmp_path):
    """Three days of a playbook's runs on a gateway; the last one failed with a screenshot."""
    settings.ARTIFACTS_ROOT = tmp_path
    playbook = PlaybookFactory(team=team, name="Nightly backup")
    gateway = GatewayFactory(team=team, name="Line 4 gateway")
    finished_run(
        playbook,
        gateway=gateway,
        ended=days_ago(2),
        seconds=30,
        steps={"login": PASS, "backup": PASS},
    )
    finished_run(
        playbook,
        gateway=gateway,
        ended=days_ago(1),
        seconds=60,
        steps={"login": RETRIED, "backup": PASS},
    )
    failed = finished_run(
        playbook,
        gateway=gateway,
        status="failed",
        ended=days_ago(0),
        seconds=90,
        steps={"login": PASS, "backup": FAIL},
    )
    shot = screenshot(failed, "backup")
    (tmp_path / shot.path).parent.mkdir(parents=True)
    (tmp_path / shot.path).write_bytes(PNG)
    return {"playbook": playbook, "gateway": gateway, "failed": failed, "shot": shot}


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_playbook_page_draws_both_charts_and_their_table(history, viewer):
    response = signed_in(viewer).get(f"/trends/playbooks/{history['playbook'].pk}/?days=7")
    page = response.content.decode()

    assert response.status_code == 200
    assert page.count('<svg viewBox="0 0 640 180" role="img"') == 2
    assert page.count('<g class="day">') == 3
    assert "2 of 3 runs passed over 7 days" in page
    assert "1 of 1 passed (100%)" in page
    assert "0 of 1 passed (0%)" in page
    assert '<path class="line median" d="M' in page
    assert '<path class="line p95" d="M' in page
    assert page.count('<tr><th scope="row">') == 7  # the table: one row per day
    assert '<td class="num">1.5 min</td>' in page  # the failed day's 90 s
    assert re.findall(r"<script(?![^>]*\bsrc=)", page) == []  # no inline script
    assert "style=" not in page


def test_the_page_lists_the_flaky_step_and_shows_the_last_failures_screenshot(
    history, viewer, outsider
):
    client = signed_in(viewer)
    page = client.get(f"/trends/playbooks/{history['playbook'].pk}/").content.decode()
    shot_url = f"/executions/{history['failed'].pk}/artifacts/{history['shot'].pk}/"

    flaky = page.split('data-testid="flaky-table"', 1)[1].split("</table>", 1)[0]
    assert "<strong>Login</strong>" in flaky
    assert "Backup" not in flaky
    assert f'<a class="thumbnail" href="{shot_url}"' in page
    assert f'<img src="{shot_url}"' in page
    image = client.get(shot_url)
    assert image.status_code == 200
    assert b"".join(image.streaming_content) == PNG
    assert signed_in(outsider).get(shot_url).status_code == 404


def test_the_gateway_page_gathers_its_runs_with_the_playbook_named(history, viewer):
    page = signed_in(viewer).get(f"/trends/gateways/{history['gateway'].pk}/").content.decode()

    assert "Trends of Line 4 gateway" in page
    assert "<td>Nightly backup</td>" in page  # the flaky step's playbook
    assert "2 of 3 runs passed over 30 days" in page


def test_an_unknown_window_is_refused_and_the_default_shown(history, viewer):
    response = signed_in(viewer).get(f"/trends/playbooks/{history['playbook'].pk}/?days=12")

    assert response.status_code == 400
    assert "Choose a window of 7, 30 or 90 days; showing 30 days." in response.content.decode()


def test_another_team_gets_404_for_both_pages(history, outsider):
    client = signed_in(outsider)

    assert client.get(f"/trends/playbooks/{history['playbook'].pk}/").status_code == 404
    assert client.get(f"/trends/gateways/{history['gateway'].pk}/").status_code == 404


def test_the_playbook_page_and_the_gateways_list_link_to_the_trends(history, viewer):
    client = signed_in(viewer)
    playbook, gateway = history["playbook"], history["gateway"]

    detail = client.get(f"/playbooks/{playbook.pk}/").content.decode()
    gateways = client.get("/gateways/").content.decode()

    assert f'href="/trends/playbooks/{playbook.pk}/">Trends</a>' in detail
    assert f'href="/trends/gateways/{gateway.pk}/">Trends</a>' in gateways
