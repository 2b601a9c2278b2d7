"""The run page in real Chromium against a live Daphne and a real Celery worker."""

import re

import pytest
from django.db import transaction
from playwright.sync_api import expect

from apps.executions.events import EventType, event_record
from apps.executions.models import Execution, ExecutionEvent
from apps.executions.services.control import execution_pause
from apps.executions.services.launch import execution_start
from tests.executions.factories import playbook as make_playbook

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
WAIT = 60_000

STEPS = """
    - id: hello
      name: Say hello
      type: utility.log
      parameters: {message: Hello from the end-to-end test}
    - id: nap
      name: Short nap
      type: utility.sleep
      parameters: {seconds: 1}
    - id: halfway
      name: Halfway
      type: utility.log
      parameters: {message: Halfway there}
    - id: long
      name: Long wait
      type: utility.sleep
      parameters: {seconds: 300}
    - id: never
      name: Never reached
      type: utility.log
      parameters: {message: never}
"""
BROWSER_STEPS = """
    - id: open
      name: Open the login page
      type: browser.navigate
      parameters: {{url: "{url}/accounts/login/"}}
    - id: watch
      name: Watch
      type: utility.sleep
      parameters: {{seconds: 300}}
"""
FAILING_STEPS = """
    - id: hello
      name: Say hello
      type: utility.log
      parameters: {message: hello}
    - id: open
      name: Open a closed port
      type: browser.navigate
      parameters: {url: "http://127.0.0.1:9/"}
    - id: after
      name: After the failure
      type: utility.log
      parameters: {message: carried on}
"""
CHILD_STEPS = """
    - id: greet
      name: Greet from the child
      type: utility.log
      parameters: {message: Line two from the child}
    - id: rest
      name: Child rests
      type: utility.sleep
      parameters: {seconds: 0.1}
"""
CHILD_PARAMETER = """
    - name: child
      type: string
      default: gateway/child.yaml
"""
ROW_STEPS = """
    - id: first
      name: First line
      type: utility.log
      parameters: {{message: Line one}}
    - id: child
      name: Call the child
      type: playbook.run
      parameters: {{playbook: "{{{{ parameter.child }}}}"}}
    - id: flaky
      name: Too slow twice
      type: utility.sleep
      timeout: 0.2
      retry_count: 1
      retry_delay: 0
      on_failure: continue
      parameters: {{seconds: 5}}
    - id: open
      name: Open the login page
      type: browser.navigate
      parameters: {{url: "{url}/accounts/login/"}}
    - id: shot
      name: Picture it
      type: browser.screenshot
      parameters: {{name: login-page}}
    - id: third
      name: Third line
      type: utility.log
      parameters: {{message: Line three}}
    - id: wait
      name: Wait
      type: utility.sleep
      parameters: {{seconds: 300}}
"""


def start_paused(team, actor, steps=STEPS, parameters="") -> Execution:
    """A run that starts paused, so the page is open before its first step."""
    with transaction.atomic():
        book = make_playbook(team, steps, parameters=parameters)
        execution = execution_start(book, actor=actor)
        execution_pause(execution, actor=actor)
    return execution


def step(page, path: str):
    return page.locator(f'#steps > li[data-path="{path}"]')


def step_statuses(page) -> list[str]:
    return page.locator("#steps > li").evaluate_all("rows => rows.map(r => r.dataset.status)")


def step_paths(page) -> list[str]:
    return page.locator("#steps > li").evaluate_all("rows => rows.map(r => r.dataset.path)")


def button(page, action: str):
    return page.locator(f'#run button[data-action="{action}"]')


def test_steps_turn_green_live_and_pause_resume_cancel_work(
    team, operator, celery_worker_running, log_in, live_server_url, screenshot, in_thread
):
    execution = in_thread(start_paused, team, operator)
    page = log_in(operator)

    page.goto(f"{live_server_url}/executions/{execution.pk}/")
    expect(page.locator("#run-status")).to_have_text("Paused", timeout=WAIT)
    expect(page.locator("#connection")).to_have_attribute("data-state", "live")
    expect(button(page, "resume")).to_be_visible()
    expect(button(page, "pause")).to_be_hidden()
    assert step_statuses(page) == ["pending"] * 5
    screenshot("run-page-paused-before-the-first-step")

    button(page, "resume").click()
    for path in ("0", "1", "2"):
        expect(step(page, path)).to_have_attribute("data-status", "completed", timeout=WAIT)
    expect(step(page, "3")).to_have_attribute("data-status", "running")
    expect(page.locator("#run-status")).to_have_text("Running")
    expect(page.locator("#progress-text")).to_have_text("3 of 5 steps done · 60%")
    expect(page.locator("#log")).to_contain_text("Hello from the end-to-end test")
    expect(page.locator("#current-step")).to_have_text("Running: Long wait")
    screenshot("run-page-running-live")

    live_state = step_statuses(page)
    page.reload()
    expect(page.locator("#connection")).to_have_attribute("data-state", "live", timeout=WAIT)
    assert step_statuses(page) == live_state == ["completed"] * 3 + ["running", "pending"]

    button(page, "pause").dblclick()
    expect(page.locator("#run-status")).to_have_text("Paused", timeout=WAIT)
    expect(button(page, "resume")).to_be_enabled()
    pauses = execution.events.filter(type="control", payload__command="pause").count()
    assert pauses == 2  # one to start paused, one from the double click
    expect(page.locator("#log")).to_contain_text("oscar-operator requested pause")

    button(page, "resume").click()
    expect(page.locator("#run-status")).to_have_text("Running", timeout=WAIT)
    button(page, "cancel").click()
    expect(page.locator("#run-status")).to_have_text("Cancelled", timeout=WAIT)
    expect(step(page, "3")).to_have_attribute("data-status", "cancelled")
    expect(page.locator("#run-reason")).to_have_text("Cancelled by oscar-operator.")
    expect(page.locator("#connection")).to_have_attribute("data-state", "ended")
    for action in ("pause", "skip", "skip-back", "cancel"):
        expect(button(page, action)).to_be_disabled()
    screenshot("run-page-cancelled")

    page.reload()
    expect(page.locator("#run-status")).to_have_text("Cancelled")
    assert step_statuses(page) == ["completed"] * 3 + ["cancelled", "pending"]
    assert Execution.objects.get(pk=execution.pk).status == "cancelled"


def test_rows_arrive_from_the_server_as_the_run_goes_without_a_reload(
    team, operator, celery_worker_running, log_in, live_server_url, screenshot, in_thread
):
    make_playbook(team, CHILD_STEPS, path="gateway/child.yaml")
    steps = ROW_STEPS.format(url=live_server_url)
    execution = in_thread(start_paused, team, operator, steps, CHILD_PARAMETER)
    page = log_in(operator)
    page.goto(f"{live_server_url}/executions/{execution.pk}/")
    expect(page.locator("#connection")).to_have_attribute("data-state", "live", timeout=WAIT)
    page.evaluate("window.sameDocument = true")
    assert step_paths(page) == ["0", "1", "2", "3", "4", "5", "6"]

    button(page, "resume").click()

    expect(step(page, "6")).to_have_attribute("data-status", "running", timeout=WAIT)
    assert step_paths(page) == ["0", "1", "1.0", "1.1", "2", "3", "4", "5", "6"]
    expect(step(page, "1.0")).to_have_attribute("data-depth", "1")
    expect(step(page, "4").locator(".step-outputs .json-tree")).to_contain_text("login-page.png")
    expect(step(page, "2")).to_have_attribute("data-status", "failed")
    expect(step(page, "2").locator(".step-attempts")).to_have_text("attempt 2")
    shot = execution.artifacts.get(kind="screenshot")
    url = f"/executions/{execution.pk}/artifacts/{shot.pk}/"
    expect(step(page, "4").locator(".step-artifacts a")).to_have_attribute("href", url)
    expect(step(page, "4").locator(".step-artifacts a")).to_have_text("login-page.png")
    expect(page.locator("#gallery img")).to_have_attribute("src", url)
    item = page.locator(f'#artifacts li[data-artifact-id="{shot.pk}"]')
    expect(item.locator(".artifact-step")).to_have_text("step 4")
    expect(item.locator(".artifact-size")).to_have_text(re.compile(r"^\d+(\.\d)?\xa0KB$"))
    expect(page.locator("#artifacts-empty")).to_be_hidden()
    lines = page.locator("#log > li").evaluate_all(
        "lines => lines.map(l => [+l.dataset.seq, l.querySelector('.message').textContent])"
    )
    seqs = [seq for seq, _ in lines]
    assert seqs == sorted(set(seqs))
    messages = [message for _, message in lines]
    order = ["Line one", "Line two from the child", "Line three"]
    assert [message for message in messages if message in order] == order
    assert page.evaluate("window.sameDocument") is True
    screenshot("run-page-rows-from-the-server")

    button(page, "cancel").click()
    expect(page.locator("#run-status")).to_have_text("Cancelled", timeout=WAIT)
    live_paths = step_paths(page)
    page.reload()
    assert step_paths(page) == live_paths


def log_burst(execution_id, count: int) -> None:
    """``count`` stored log lines the page is not told about, then one it is told about: the
    page fills the gap and asks for the lines a page at a time."""
    first = Execution.objects.get(pk=execution_id).last_seq + 1
    ExecutionEvent.objects.bulk_create(
        ExecutionEvent(
            execution_id=execution_id, seq=first + n, type="log", payload={"message": f"burst {n}"}
        )
        for n in range(count)
    )
    Execution.objects.filter(pk=execution_id).update(last_seq=first + count - 1)
    event_record(execution_id, EventType.LOG, {"level": "info", "message": "burst end"})


def test_a_burst_of_log_lines_arrives_whole_and_in_order(
    team, operator, log_in, live_server_url, in_thread
):
    execution = in_thread(execution_start, make_playbook(team, STEPS), actor=operator)
    page = log_in(operator)
    page.goto(f"{live_server_url}/executions/{execution.pk}/")
    expect(page.locator("#connection")).to_have_attribute("data-state", "live", timeout=WAIT)

    in_thread(log_burst, execution.pk, 1200)

    lines = page.locator("#log > li .message")
    expect(lines).to_have_count(1201, timeout=WAIT)
    messages = lines.evaluate_all("lines => lines.map(line => line.textContent)")
    assert messages == [f"burst {n}" for n in range(1200)] + ["burst end"]


def test_skip_and_skip_back_move_through_the_steps(
    team, operator, celery_worker_running, log_in, live_server_url, screenshot, in_thread
):
    steps = STEPS.replace("seconds: 1}", "seconds: 300}")
    execution = in_thread(start_paused, team, operator, steps)
    page = log_in(operator)
    page.goto(f"{live_server_url}/executions/{execution.pk}/")
    expect(page.locator("#run-status")).to_have_text("Paused", timeout=WAIT)

    button(page, "resume").click()
    expect(step(page, "1")).to_have_attribute("data-status", "running", timeout=WAIT)
    button(page, "skip").click()
    expect(step(page, "1")).to_have_attribute("data-status", "skipped", timeout=WAIT)
    expect(step(page, "3")).to_have_attribute("data-status", "running", timeout=WAIT)
    button(page, "skip-back").click()
    expect(step(page, "2")).to_have_attribute("data-status", "completed", timeout=WAIT)
    expect(step(page, "3")).to_have_attribute("data-status", "running", timeout=WAIT)
    expect(page.locator("#log")).to_contain_text("oscar-operator requested skip back")
    screenshot("run-page-after-skip-back")
    button(page, "cancel").click()
    expect(page.locator("#run-status")).to_have_text("Cancelled", timeout=WAIT)


def test_live_browser_view_shows_frames_and_clicks_through(
    team, operator, celery_worker_running, log_in, live_server_url, screenshot, in_thread
):
    book = make_playbook(team, BROWSER_STEPS.format(url=live_server_url))
    execution = in_thread(execution_start, book, actor=operator)
    page = log_in(operator)

    page.goto(f"{live_server_url}/executions/{execution.pk}/")
    expect(step(page, "1")).to_have_attribute("data-status", "running", timeout=WAIT)
    frame = page.locator("#live-frame")
    expect(frame).to_be_visible(timeout=WAIT)
    expect(frame).to_have_attribute("src", re.compile(r"^data:image/jpeg;base64,"))
    expect(page.locator("#frame-state")).to_have_text("Live · 2 FPS")
    box = frame.bounding_box()
    frame.click(position={"x": box["width"] / 2, "y": box["height"] / 4})
    expect(page.locator("#log")).to_contain_text("Live view click at", timeout=WAIT)
    expect(page.locator("#click-info")).to_contain_text("Clicked the page at")
    screenshot("run-page-live-browser-view")

    button(page, "cancel").click()
    expect(page.locator("#run-status")).to_have_text("Cancelled", timeout=WAIT)


def test_a_failed_step_in_debug_mode_shows_the_debug_panel_and_can_be_skipped(
    team, operator, celery_worker_running, log_in, live_server_url, screenshot, in_thread
):
    book = make_playbook(team, FAILING_STEPS)
    execution = in_thread(execution_start, book, actor=operator, debug=True)
    page = log_in(operator)
    page.goto(f"{live_server_url}/executions/{execution.pk}/")

    expect(page.locator("#run-reason")).to_have_text(
        "Debug: paused after step 'hello'.", timeout=WAIT
    )
    expect(page.locator("#debug-switch")).to_be_checked()
    button(page, "resume").click()
    panel = page.locator("[data-testid=debug-panel]")
    expect(panel).to_be_visible(timeout=WAIT)
    expect(panel.locator("h2")).to_have_text("Debug: step “Open a closed port” failed")
    expect(panel.locator(".step-error")).to_contain_text("127.0.0.1:9")
    expect(panel.locator(".debug-shot img")).to_be_visible()
    expect(step(page, "1")).to_have_attribute("data-status", "failed")
    screenshot("run-page-debug-panel")

    panel.get_by_role("button", name="Skip step").click()
    expect(page.locator("#run-status")).to_have_text("Completed", timeout=WAIT)
    assert step_statuses(page) == ["completed", "failed", "completed"]
    page.locator("[data-theme-toggle]").click()
    screenshot("run-page-debug-completed-dark")


def test_a_failed_step_is_fixed_in_the_debug_panel_and_the_run_completes(
    team, operator, celery_worker_running, log_in, live_server_url, screenshot, in_thread
):
    book = make_playbook(team, FAILING_STEPS.split("    - id: after")[0])
    execution = in_thread(execution_start, book, actor=operator, debug=True)
    page = log_in(operator)
    page.goto(f"{live_server_url}/executions/{execution.pk}/")
    expect(page.locator("#run-reason")).to_have_text(
        "Debug: paused after step 'hello'.", timeout=WAIT
    )
    button(page, "resume").click()
    panel = page.locator("[data-testid=debug-panel]")
    expect(panel).to_be_visible(timeout=WAIT)

    panel.locator("summary", has_text="Edit this step and run it again").click()
    editor = panel.get_by_label("Step YAML")
    expect(editor).to_contain_text("http://127.0.0.1:9/")
    editor.fill(
        "id: open\nname: Open the portal\ntype: browser.navigate\n"
        f"parameters:\n  url: {live_server_url}/health/live\n"
    )
    screenshot("run-page-debug-edit-step")
    panel.get_by_role("button", name="Save and run the step again").click()

    expect(page.locator("#run-status")).to_have_text("Completed", timeout=WAIT)
    assert step_statuses(page) == ["completed", "completed"]
    expect(step(page, "1")).to_contain_text("Open the portal")
    expect(page.locator("#log")).to_contain_text("Running step 'open' as edited.")
