"""The history page in real Chromium against a live Daphne: filters, live status, delete."""

import pytest
from playwright.sync_api import expect

from apps.executions.models import Execution
from apps.executions.services.control import execution_cancel
from apps.executions.services.launch import execution_start
from tests.executions.factories import playbook as make_playbook

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
WAIT = 30_000
STEPS = """
    - id: hello
      name: Hello
      type: utility.log
      parameters: {message: hello}
"""


def run(team, actor, name: str, status: str = "queued") -> Execution:
    """A run of its own playbook; left queued (no worker here) or set to a final status."""
    book = make_playbook(team, STEPS, name=name, path=f"gateway/{name.replace(' ', '_')}.yaml")
    execution = execution_start(book, actor=actor)
    if status != "queued":
        Execution.objects.filter(pk=execution.pk).update(status=status)
    return execution


def row(page, execution):
    return page.locator(f'tr[data-execution-id="{execution.pk}"]')


def names(page) -> list[str]:
    return page.locator("#executions-table .run-link").all_text_contents()


def test_history_filters_updates_live_and_deletes_only_finished_runs(
    team, operator, log_in, live_server_url, screenshot, in_thread
):
    backup = in_thread(run, team, operator, "Nightly backup", "completed")
    in_thread(run, team, operator, "Module upgrade", "failed")
    waiting = in_thread(run, team, operator, "Queued check")
    page = log_in(operator)

    page.goto(f"{live_server_url}/executions/")
    expect(page.locator("#connection")).to_have_attribute("data-state", "live", timeout=WAIT)
    assert names(page) == ["Queued check", "Module upgrade", "Nightly backup"]
    page.get_by_role("link", name="Failed 1").click()
    assert names(page) == ["Module upgrade"]
    page.get_by_role("link", name="All 3").click()
    page.get_by_label("Playbook").select_option(label="Nightly backup")
    page.get_by_role("button", name="Apply filters").click()
    assert names(page) == ["Nightly backup"]
    page.get_by_role("link", name="Clear").click()
    expect(page.locator("#connection")).to_have_attribute("data-state", "live", timeout=WAIT)

    in_thread(execution_cancel, waiting, actor=operator)
    expect(row(page, waiting).locator("[data-role=status]")).to_have_text("Cancelled", timeout=WAIT)
    newcomer = in_thread(run, team, operator, "Fresh run")
    expect(row(page, newcomer)).to_be_visible(timeout=WAIT)
    screenshot("executions-live-update")

    page.on("dialog", lambda dialog: dialog.accept())
    row(page, newcomer).get_by_role("checkbox").check()
    row(page, backup).get_by_role("checkbox").check()
    expect(page.locator("#delete-selected")).to_have_text("Delete selected (2)")
    page.locator("#delete-selected").click()
    expect(page.locator(".messages")).to_contain_text(
        "Cannot delete runs that are still queued, running or paused: Fresh run (queued)."
    )
    assert Execution.objects.filter(pk__in=[newcomer.pk, backup.pk]).count() == 2

    row(page, backup).get_by_role("checkbox").check()
    page.locator("#delete-selected").click()
    expect(page.locator(".messages")).to_contain_text("Deleted 1 run.")
    expect(row(page, backup)).to_have_count(0)
    assert not Execution.objects.filter(pk=backup.pk).exists()
    screenshot("executions-light")
    page.locator("[data-theme-toggle]").click()
    screenshot("executions-dark")


def test_viewers_see_their_team_runs_without_controls(
    team, other_team, operator, viewer, outsider, log_in, live_server_url, screenshot, in_thread
):
    own = in_thread(run, team, operator, "Line one check", "completed")
    foreign = in_thread(run, other_team, outsider, "Line two secret", "completed")
    page = log_in(viewer)

    page.goto(f"{live_server_url}/executions/")
    assert names(page) == ["Line one check"]
    expect(page.locator("#delete-selected")).to_have_count(0)
    expect(page.locator("#executions-table input[type=checkbox]")).to_have_count(0)
    expect(page.get_by_role("button", name="Re-run")).to_have_count(0)
    screenshot("executions-viewer")

    page.goto(f"{live_server_url}/executions/{own.pk}/")
    expect(page.locator("#run-status")).to_have_text("Completed")
    expect(page.locator("button[data-action]")).to_have_count(0)
    expect(page.locator("#debug-switch")).to_have_count(0)
    expect(page.get_by_role("link", name="Download JSON")).to_be_visible()
    screenshot("run-page-viewer")

    response = page.goto(f"{live_server_url}/executions/{foreign.pk}/")
    assert response.status == 404
