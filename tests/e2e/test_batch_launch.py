"""Launching a batch from the Run dialog in real Chromium against a live Daphne: the target
shows only the inputs it uses, a tag starts a batch, the batches list shows it."""

import re

import pytest
from playwright.sync_api import expect

from apps.executions.models import Batch, Execution
from tests.batches.helpers import batch_playbook, tagged_gateways
from tests.gateways.factories import GatewayFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("django_db_setup"),
]
WAIT = 30_000
URLS = {"gw-a": "http://127.0.0.1:9001", "gw-b": "http://127.0.0.1:9002"}


def test_a_tag_chosen_in_the_run_dialog_starts_a_batch_listed_on_the_batches_page(
    team, operator, log_in, live_server_url, screenshot
):
    book = batch_playbook(team)
    tagged_gateways(team, URLS)
    GatewayFactory(team=team, name="gw-c", tags=["plant-b"])
    page = log_in(operator)
    page.goto(f"{live_server_url}/playbooks/")
    card = page.locator(f'[data-testid=playbook-card][data-playbook="{book.pk}"]')

    card.get_by_role("button", name="Run").click()
    dialog = page.locator("#run-dialog")
    expect(dialog).to_be_visible(timeout=WAIT)
    expect(page.locator("#run-gateway")).to_be_visible()
    expect(page.locator("#run-gateways")).to_be_hidden()
    expect(page.locator("#run-concurrency")).to_be_hidden()
    dialog.get_by_label("A gateway tag").check()
    expect(page.locator("#run-gateway")).to_be_hidden()
    expect(page.locator("#run-gateway_tag")).to_be_visible()
    page.select_option("#run-gateway_tag", "plant-a")
    page.fill("#run-concurrency", "1")
    page.select_option("#run-policy", "stop")
    screenshot("playbooks-run-dialog-batch")
    page.click("[data-testid=start-run]")
    page.wait_for_url(re.compile(r"/executions/batches/[0-9a-f-]{36}/$"), timeout=WAIT)

    batch = Batch.objects.get()
    assert page.url == f"{live_server_url}/executions/batches/{batch.pk}/"
    assert (batch.gateway_tag, batch.concurrency, batch.policy) == ("plant-a", 1, "stop")
    runs = Execution.objects.filter(batch=batch).select_related("gateway")
    assert sorted(run.gateway.name for run in runs) == ["gw-a", "gw-b"]

    page.goto(f"{live_server_url}/executions/")
    page.get_by_role("link", name="Batches").click()
    row = page.locator(f'tr[data-batch-id="{batch.pk}"]')
    expect(row).to_contain_text("tagged plant-a")
    expect(row).to_contain_text("2 gateways")
    screenshot("batches-list")
    row.get_by_role("link", name="View batch").click()
    page.wait_for_url(f"{live_server_url}/executions/batches/{batch.pk}/", timeout=WAIT)
