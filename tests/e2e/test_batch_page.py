"""The batch page in real Chromium against a live Daphne, a real worker and simulated
gateways: rows follow the runs live, Cancel all and Retry failed work from the page."""

import time

import pytest
from playwright.sync_api import expect

from apps.executions.services.batches import batch_start
from apps.playbooks.loader import load_playbook
from apps.playbooks.services._common import store_version
from tests.batches.helpers import PARAMETERS, tagged_gateways
from tests.executions.factories import playbook, steps_yaml
from tests.gateways.client.conftest import sim_factory  # noqa: F401 - fixture

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
WAIT = 60_000
STEPS = """
    - {id: ping, name: Ping, type: gateway.ping}
    - {id: hold, name: Hold on, type: utility.sleep, parameters: {seconds: %s}}
    - {id: info, name: Info, type: gateway.get_info}
"""


def shorten_the_hold(book) -> None:
    """A new version of the playbook: retries run the playbook's current version."""
    text = steps_yaml(STEPS % 0.2, parameters=PARAMETERS, name="Fleet check")
    store_version(book, text=text, loaded=load_playbook(text), actor=None, change_note="")


def row(page, gateway):
    return page.locator(f'#batch-rows tr[data-gateway="{gateway}"]')


def test_rows_follow_the_runs_live_and_cancel_all_then_retry_failed_work(
    team,
    operator,
    celery_workers,
    sim_factory,  # noqa: F811
    log_in,
    live_server_url,
    screenshot,
    in_thread,
):
    celery_workers(name=f"batch-page-{time.monotonic_ns()}", concurrency=2)
    urls = {"gw-a": sim_factory().url, "gw-b": sim_factory().url, "gw-c": sim_factory().url}
    gateways = tagged_gateways(team, urls)
    book = playbook(team, STEPS % 60, parameters=PARAMETERS, name="Fleet check")
    batch = in_thread(batch_start, book, actor=operator, gateways=gateways, concurrency=1)
    page = log_in(operator)
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto(f"{live_server_url}/executions/batches/{batch.pk}/")
    expect(page.locator("#connection")).to_have_attribute("data-state", "live", timeout=WAIT)
    expect(page.locator("#batch-rows tbody tr")).to_have_count(3)
    expect(row(page, "gw-a").locator("[data-role=step]")).to_have_text("Hold on", timeout=WAIT)
    expect(row(page, "gw-a")).to_have_attribute("data-status", "running")
    expect(row(page, "gw-b")).to_have_attribute("data-status", "queued")
    screenshot("batch-page-running")

    page.locator("#batch-cancel").click()
    expect(page.locator("#batch-status")).to_have_text("Cancelled", timeout=WAIT)
    for gateway in urls:
        expect(row(page, gateway)).to_have_attribute("data-status", "cancelled")
    expect(page.locator("#batch-reason")).to_have_text("Cancelled by oscar-operator.")
    expect(page.locator("#batch-retry")).to_be_enabled()

    in_thread(shorten_the_hold, book)
    page.locator("#batch-retry").click()
    expect(page.locator("#batch-status")).to_have_text("Running", timeout=WAIT)
    expect(page.locator("#batch-status")).to_have_text("Completed", timeout=WAIT)
    for gateway in urls:
        expect(row(page, gateway)).to_have_attribute("data-status", "completed")
        expect(row(page, gateway).locator("td").nth(4)).to_have_text("2")
    expect(page.locator("#batch-retry")).to_be_disabled()
    expect(page.locator("#connection")).to_have_attribute("data-state", "ended")
    screenshot("batch-page-completed-after-retry")

    assert errors == []

    page.locator("#batch-rows tr[data-gateway=gw-b] a").click()
    expect(page.locator("#run-status")).to_have_text("Completed", timeout=WAIT)
    page.locator("#run-batch").click()
    expect(page.locator("#batch-status")).to_have_text("Completed")
