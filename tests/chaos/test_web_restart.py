"""Web (Daphne) killed and started again while a run's page is open in Chromium: the page says
it lost the connection, reconnects by itself, fills in what it missed, and goes on live."""

import pytest
from playwright.sync_api import expect

from apps.executions.services.control import execution_cancel
from apps.executions.services.launch import execution_start
from tests.chaos.checks import (
    assert_serves_pages,
    assert_settled,
    run_ended,
    session_cookie,
    step_running,
)
from tests.executions.factories import playbook

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
WAIT = 60_000
STEPS = """
    - id: first
      name: First
      type: utility.log
      parameters: {message: before the restart}
    - id: nap
      name: Nap
      type: utility.sleep
      parameters: {seconds: 3}
    - id: second
      name: Second
      type: utility.log
      parameters: {message: while the web was down}
    - id: long
      name: Long wait
      type: utility.sleep
      parameters: {seconds: 300}
"""


def statuses(page) -> list[str]:
    return page.locator("#steps > li").evaluate_all("rows => rows.map(r => r.dataset.status)")


@pytest.mark.usefixtures("_static_files")
def test_a_web_restart_with_a_run_page_open_reconnects_and_fills_the_gap(
    redis_server, team, operator, stack, page, in_thread
):
    _, web = stack.worker_and_web()
    execution = in_thread(execution_start, playbook(team, STEPS), actor=operator)
    step_running(execution.pk, "nap")
    cookie = {"name": "sessionid", "value": session_cookie(operator), "url": web.url}
    page.context.add_cookies([cookie])
    page.goto(f"{web.url}/executions/{execution.pk}/")
    expect(page.locator("#connection")).to_have_attribute("data-state", "live", timeout=WAIT)

    web.kill()
    expect(page.locator("#connection")).to_have_attribute("data-state", "reconnecting")
    step_running(execution.pk, "long")  # "second" ran while no page could hear of it
    stack.web(port=web.port)

    expect(page.locator("#connection")).to_have_attribute("data-state", "live", timeout=WAIT)
    expect(page.locator("#log")).to_contain_text("while the web was down", timeout=WAIT)
    expect(page.locator("#run-status")).to_have_text("Running")
    assert statuses(page) == ["completed", "completed", "completed", "running"]
    in_thread(execution_cancel, execution, actor=operator)  # now heard live, over the new socket
    expect(page.locator("#run-status")).to_have_text("Cancelled", timeout=WAIT)
    expect(page.locator("#run-reason")).to_have_text("Cancelled by oscar-operator.")
    assert run_ended(execution.pk).status == "cancelled"
    assert_settled(execution.pk)
    assert_serves_pages(web.url, operator, execution.pk)
