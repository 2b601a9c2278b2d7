"""A finished batch's HTML report and artifacts zip, the runs done by a worker "host" that
writes to a real S3-compatible store while this process (the web) has none of its files."""

import io
import time
import zipfile
from pathlib import Path

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from apps.executions.artifact_files import artifact_open
from apps.executions.models import BatchStatus, Execution
from apps.executions.services.batches import batch_start
from tests.batches.helpers import tagged_gateways, wait_for_batch
from tests.executions.factories import playbook
from tests.steps.plugins.browser.site import Site

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
SECRET = "Kx4-batch-secret-71"
STEPS = """
- {{id: ping, name: Ping, type: gateway.ping}}
- id: open
  name: Open the form
  type: browser.navigate
  parameters: {{url: "{url}"}}
- id: shot
  name: Screenshot
  type: browser.screenshot
  parameters: {{name: "form-{{{{ admin_pin }}}}.png"}}
- id: show
  name: Log the pin
  type: utility.log
  parameters: {{message: "pin={{{{ admin_pin }}}}"}}
"""
PARAMETERS = """
- {name: gateway_url, type: string, required: false}
- {name: admin_pin, type: string, secret: true}
"""
GATEWAYS = ("gw-a", "gw-b", "gw-c")


@pytest.fixture
def site():
    served = Site()
    yield served
    served.stop()


@pytest.fixture
def finished_batch(
    team, operator, object_store, celery_workers, sim_factory, site, settings, tmp_path
):
    settings.ARTIFACTS_ROOT = tmp_path / "web"
    env = object_store.worker_env(tmp_path / "worker.secret")
    celery_workers(
        name=f"batch-reports-{time.monotonic_ns()}",
        concurrency=2,
        env={**env, "ARTIFACTS_ROOT": str(tmp_path / "worker"), "BROWSER_TRACE": "false"},
    )
    book = playbook(
        team, STEPS.format(url=site.url("/form.html")), parameters=PARAMETERS, name="Fleet shots"
    )
    simulator = sim_factory()
    gateways = tagged_gateways(team, dict.fromkeys(GATEWAYS, simulator.url))
    for gateway in gateways:
        gateway.allow_concurrent_runs = True
        gateway.save(update_fields=["allow_concurrent_runs"])
    batch = batch_start(
        book, actor=operator, gateways=gateways, parameters={"admin_pin": SECRET}, concurrency=2
    )
    finished = wait_for_batch(batch, timeout=180)
    assert finished.status == BatchStatus.COMPLETED, finished.status_reason
    return finished


def download(user, url: str) -> bytes:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def downloads(finished_batch, viewer, tmp_path) -> dict:
    """The batch's HTML report on disk, its artifacts zip, and each gateway's stored screenshot
    (read before the browser starts: the database is not used from its event loop)."""
    base = f"/api/v1/batches/{finished_batch.pk}"
    report = tmp_path / "batch.html"
    report.write_bytes(download(viewer, f"{base}/report.html"))
    runs = Execution.objects.filter(batch=finished_batch).select_related("gateway")
    return {
        "report": report,
        "zip": zipfile.ZipFile(io.BytesIO(download(viewer, f"{base}/artifacts.zip"))),
        "screenshots": {
            run.gateway.name: stored_bytes(run.artifacts.get(kind="screenshot")) for run in runs
        },
    }


def test_the_batch_report_shows_every_gateway_offline_with_its_screenshot(downloads, page):
    report = downloads["report"]

    requested = opened_offline(page, report)

    assert requested == [report.as_uri()]  # nothing else was fetched
    summary = page.locator("#summary tr.gateway")
    assert summary.evaluate_all("rows => rows.map(row => row.dataset.gateway)") == list(GATEWAYS)
    statuses = summary.evaluate_all("rows => rows.map(row => row.dataset.status)")
    assert statuses == ["completed"] * 3
    for gateway in GATEWAYS:
        section = page.locator(f"section.run[data-gateway='{gateway}']")
        paths = section.locator("tr.step").evaluate_all("rows => rows.map(r => r.dataset.path)")
        assert paths == ["0", "1", "2", "3"]
        shot = section.locator("tr.step[data-path='2'] img.shot")
        assert shot.evaluate("img => img.complete && img.naturalWidth > 0") is True
        assert "pin=[SECURE]" in section.locator("pre.log").inner_text()
        assert "$encrypted$" in section.locator("table.parameters").inner_text()
    assert SECRET not in page.content()
    assert SECRET not in report.read_text()


def test_the_batch_zip_holds_each_runs_files_under_its_gateway(downloads):
    archive = downloads["zip"]

    names = archive.namelist()

    assert [name.split("/")[0] for name in names] == list(GATEWAYS)
    assert not any(SECRET in name for name in names)
    for gateway, stored in downloads["screenshots"].items():
        (name,) = [name for name in names if name.startswith(f"{gateway}/2/form-")]
        assert archive.read(name) == stored


def opened_offline(page, report: Path) -> list[str]:
    requested = []

    def block(route):
        requested.append(route.request.url)
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            route.abort()

    page.route("**/*", block)
    page.goto(report.as_uri())
    return requested


def stored_bytes(artifact) -> bytes:
    with artifact_open(artifact) as stream:
        return stream.read()
