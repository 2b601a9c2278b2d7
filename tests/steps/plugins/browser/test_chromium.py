"""The worker's Chromium is kept between runs; each run still gets a browser context of its own."""

import threading

import psutil
import pytest

from apps.steps.errors import StepError
from apps.steps.plugins.browser import chromium
from apps.steps.plugins.browser.config import browser_config
from apps.steps.plugins.browser.processes import kill_renderers
from apps.steps.plugins.browser.session import session_for
from apps.steps.plugins.browser.sides import LoopSwitch
from tests.steps.plugins.browser.harness import Harness


@pytest.fixture
def runs(tmp_path):
    """Runs one after another, as a worker process takes them; none kept before or after."""
    chromium.chromium_forget()
    opened = []

    def new_run() -> Harness:
        opened.append(Harness(tmp_path / f"run-{len(opened)}"))
        return opened[-1]

    yield new_run
    for run in opened:
        run.close()
    chromium.chromium_forget()


def browser_of(run: Harness) -> psutil.Process:
    return session_for(run.context()).process


def opened(runs, site) -> Harness:
    """A new run that has opened the form page."""
    run = runs()
    run.step("browser.navigate", url=site.url("/form.html"))
    return run


def assert_retired(process: psutil.Process, runs, site) -> None:
    """``process`` stopped with its run, and the next run starts another Chromium."""
    assert psutil.wait_procs([process], timeout=10)[1] == []
    assert browser_of(opened(runs, site)).pid != process.pid


def test_the_next_run_gets_the_same_chromium_and_a_fresh_context(runs, site):
    first = opened(runs, site)
    first.page.evaluate("document.cookie = 'session=first'; localStorage.setItem('k', 'first')")
    process = browser_of(first)
    first.close()

    second = opened(runs, site)

    session = session_for(second.context())
    assert session.process.pid == process.pid
    assert session.browser.contexts == [session.browser_context]  # the first run's was closed
    assert second.page.evaluate("document.cookie") == ""
    assert second.page.evaluate("localStorage.getItem('k')") is None


def test_each_run_keeps_its_own_trace(runs, site):
    for _ in range(2):
        run = runs()
        run.step("browser.navigate", url=site.url("/form.html"))
        run.close()

        (trace,) = run.kinds("trace")
        assert trace.path.stat().st_size > 0


def test_with_keep_alive_off_the_browser_stops_with_the_run(runs, site, settings):
    settings.BROWSER_KEEP_ALIVE = False
    first = opened(runs, site)
    process = browser_of(first)

    first.close()

    assert_retired(process, runs, site)


def test_a_run_whose_pages_were_killed_does_not_hand_its_browser_on(runs, site):
    first = opened(runs, site)
    session = session_for(first.context())
    session.blocking = True  # as during a navigation the watcher must interrupt
    session.interrupt()
    session.blocking = False
    process = session.process

    first.close()

    assert_retired(process, runs, site)


def test_a_page_that_crashed_on_its_own_also_retires_the_browser(runs, site):
    first = opened(runs, site)
    session = session_for(first.context())
    kill_renderers(session.process)
    with pytest.raises(StepError):
        first.step("browser.wait", selector="#never", timeout=3000)

    first.close()

    assert session.damaged is True
    assert psutil.wait_procs([session.process], timeout=10)[1] == []


def test_a_kept_browser_that_died_meanwhile_is_replaced(runs, site):
    first = opened(runs, site)
    process = browser_of(first)
    first.close()
    process.kill()
    psutil.wait_procs([process], timeout=10)

    second = runs()
    outputs = second.step("browser.navigate", url=site.url("/form.html"))

    assert outputs["status"] == "navigated"
    assert browser_of(second).pid != process.pid


def test_a_browser_is_retired_after_its_reuse_limit(runs, site, monkeypatch):
    monkeypatch.setattr(chromium, "REUSE_LIMIT", 2)
    pids = []
    for _ in range(3):
        run = runs()
        run.step("browser.navigate", url=site.url("/form.html"))
        pids.append(browser_of(run).pid)
        run.close()

    assert pids[0] == pids[1] != pids[2]


def test_a_browser_launched_with_other_options_is_not_reused(runs, site):
    first = opened(runs, site)
    process = browser_of(first)
    first.close()
    config = browser_config()
    other = config.__class__(executable=config.executable, args=(*config.args, "--mute-audio"))
    switch = LoopSwitch()

    launched = chromium.chromium_acquire(other, switch)
    try:
        assert launched.process.pid != process.pid
        assert psutil.wait_procs([process], timeout=10)[1] == []
    finally:
        chromium.chromium_release(launched, None, keep=False)
        LoopSwitch.release()


def test_a_run_off_the_main_thread_neither_takes_nor_keeps_the_browser(runs, site):
    first = opened(runs, site)
    kept = browser_of(first)
    first.close()
    elsewhere = runs()
    seen = {}

    def run_on_a_thread() -> None:
        elsewhere.step("browser.navigate", url=site.url("/form.html"))
        seen["process"] = browser_of(elsewhere)
        elsewhere.close()

    thread = threading.Thread(target=run_on_a_thread)
    thread.start()
    thread.join(timeout=60)

    assert seen["process"].pid != kept.pid
    assert psutil.wait_procs([seen["process"]], timeout=10)[1] == []
    third = opened(runs, site)
    assert browser_of(third).pid == kept.pid


def test_a_tab_the_browser_refuses_fails_the_step_clearly(runs, site, settings):
    settings.BROWSER_VIEWPORT = "20000000x20000000"
    run = runs()

    with pytest.raises(StepError) as failure:
        run.step("browser.navigate", url=site.url("/form.html"))

    assert str(failure.value).startswith("Could not open a browser tab: ")


def test_of_two_runs_open_at_once_only_one_browser_is_kept(runs, site):
    first, second = runs(), runs()
    for run in (first, second):
        run.step("browser.navigate", url=site.url("/form.html"))
    kept, extra = browser_of(first), browser_of(second)

    first.close()
    second.close()

    assert kept.pid != extra.pid
    assert psutil.wait_procs([extra], timeout=10)[1] == []
    third = opened(runs, site)
    assert browser_of(third).pid == kept.pid
