"""perspective.execute_test_manifest: click or fill each listed component and record the result.

Entries are checked before anything runs. A failed entry is a result, not a step failure: the
step completes with ``status: failed`` so a later ``fat.generate_report`` can show it (with its
screenshot, which failures always get). ``on_failure: abort`` stops at the first failure and
marks the rest skipped.
"""

import re
from datetime import UTC, datetime

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from apps.steps.errors import StepError
from apps.steps.params import require
from apps.steps.plugins.browser.base import browser_step, explain, timed_out
from apps.steps.plugins.perspective.actions import ACTIONS

ENTRY_TIMEOUT_MS = 5000
BASELINE_MS = 10000
SLUG = re.compile(r"[^A-Za-z0-9_-]+")


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def entry_of(index: int, raw: dict) -> dict:
    """A checked manifest entry (``StepError`` naming the entry when it is unusable)."""
    where = f"manifest entry {index + 1}"
    action = str(raw.get("action") or "click").strip().lower()
    require(action in ACTIONS, f"{where}: 'action' must be click or fill, not {action!r}")
    selector = raw.get("selector")
    require(isinstance(selector, str) and bool(selector.strip()), f"{where} needs a 'selector'")
    timeout = raw.get("timeout", ENTRY_TIMEOUT_MS)
    require(
        isinstance(timeout, int) and not isinstance(timeout, bool) and timeout >= 0,
        f"{where}: 'timeout' must be a whole number of ms, not {timeout!r}",
    )
    expected = raw.get("expected")
    return {
        "component_id": str(raw.get("component_id") or selector),
        "action": action,
        "selector": selector,
        "value": str(raw.get("value", "Test")),
        "expected": "" if expected is None else str(expected),
        "timeout": timeout,
    }


def run_entry(session, context, entry: dict, number: int, capture: bool) -> dict:
    result = {
        "component_id": entry["component_id"],
        "action": entry["action"],
        "selector": entry["selector"],
        "expected": entry["expected"],
        "actual": "",
        "status": "passed",
        "error": None,
        "screenshot": None,
        "started_at": now(),
    }
    try:
        result["actual"] = ACTIONS[entry["action"]](session, context, entry)
    except StepError as exc:
        result.update(status="failed", error=str(exc))
    except PlaywrightTimeoutError as exc:
        context.check()
        result.update(status="failed", error=str(timed_out(exc, entry)))
    except PlaywrightError as exc:
        context.check()  # a kill by the interrupter: cancel, skip or timeout
        result.update(status="failed", error=str(explain(exc, session)))
    if capture or result["status"] == "failed":
        result["screenshot"] = screenshot(session, context, entry, number)
    result["completed_at"] = now()
    return result


def screenshot(session, context, entry: dict, number: int) -> str | None:
    name = f"{context.step_id}-{number:02d}-{SLUG.sub('_', entry['component_id'])}.png"
    try:
        with session.guarded(context) as page:
            png = page.screenshot(timeout=5000)
    except PlaywrightError:
        context.check()
        context.log(f"No screenshot of test {number}: the page could not be captured", "warning")
        return None
    return context.save_artifact("screenshot", name, data=png, content_type="image/png").name


def back_to(session, context, url: str) -> None:
    try:
        with session.guarded(context) as page:
            page.goto(url, wait_until="networkidle", timeout=BASELINE_MS)
    except PlaywrightError as exc:
        context.check()
        raise StepError(
            f"Could not return to the baseline page {url}: {explain(exc, session)}"
        ) from exc


@browser_step("perspective.execute_test_manifest")
def run(session, context, values: dict) -> dict:
    entries = [entry_of(index, raw) for index, raw in enumerate(values["manifest"])]
    baseline = values.get("baseline_url") or session.page.url
    results: list[dict] = []
    for number, entry in enumerate(entries, start=1):
        if number > 1 and values["return_to_baseline"]:
            back_to(session, context, baseline)
        result = run_entry(session, context, entry, number, values["capture_screenshots"])
        results.append(result)
        if result["status"] == "failed":
            context.log(
                f"Test {number} ({entry['component_id']}) failed: {result['error']}", "warning"
            )
            if values["on_failure"] == "abort":
                break
    for entry in entries[len(results) :]:
        results.append({**_skipped(entry), "error": "Not run: an earlier test failed (abort)"})
    counts = {key: sum(r["status"] == key for r in results) for key in ("passed", "failed")}
    skipped = len(entries) - counts["passed"] - counts["failed"]
    context.log(
        f"Manifest: {counts['passed']} passed, {counts['failed']} failed, {skipped} skipped",
        "info",
    )
    return {
        "status": "failed" if counts["failed"] else "passed",
        "total": len(entries),
        **counts,
        "skipped": skipped,
        "results": results,
    }


def _skipped(entry: dict) -> dict:
    keys = ("component_id", "action", "selector", "expected")
    return {
        **{key: entry[key] for key in keys},
        "actual": "",
        "status": "skipped",
        "screenshot": None,
        "started_at": None,
        "completed_at": None,
    }
