"""Every main page carries the security headers and runs in real Chromium without a console
error or a Content-Security-Policy violation, logged in as an admin (every control shows)."""

import re

import pytest
from playwright.sync_api import expect

from apps.executions.services.launch import execution_start
from tests.e2e import conftest as e2e
from tests.e2e import test_accessibility as crawl
from tests.e2e.test_run_page import BROWSER_STEPS
from tests.executions.factories import playbook as make_playbook
from tests.files.helpers import uploaded

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("django_db_setup"),
]
WAIT = 30_000
# The live Daphne, the log-in helper and the admin's portal of the end-to-end crawl.
_static_files, in_thread, live_server_url, log_in = (
    e2e._static_files,
    e2e.in_thread,
    e2e.live_server_url,
    e2e.log_in,
)
portal = crawl.portal


@pytest.fixture
def pages(portal, settings, tmp_path):
    """The crawl's portal with a file in its team's library."""
    settings.ARTIFACTS_ROOT = tmp_path / "artifacts"
    version = uploaded(portal["playbook"].team, portal["user"], description="Demo module")
    return {**portal, "library_file": version.file}


# Collects every violation the page reports, from before its first script runs.
WATCH_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`);
});
"""


@pytest.fixture(autouse=True, scope="module")
def _database_beside_playwright_until_the_end():
    """Sync Playwright marks this thread as async: the module's own queries are safe."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture
def watched(page):
    """The page, with its console errors, uncaught errors and CSP violations collected."""
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "response",
        lambda response: (
            response.status < 400 or errors.append(f"{response.status} {response.url}")
        ),
    )
    page.add_init_script(WATCH_VIOLATIONS)
    page.errors = errors
    return page


def opener(name: str, dialog: str):
    def open_dialog(page) -> None:
        page.get_by_role("button", name=name, exact=True).click()
        expect(page.locator(f"dialog#{dialog}")).to_be_visible(timeout=WAIT)

    return open_dialog


def run_form(page) -> None:
    page.get_by_role("button", name="Run").first.click()
    expect(page.locator("#run-form")).to_be_visible(timeout=WAIT)


def step_editor(page) -> None:
    page.get_by_role("button", name="Edit").first.click()
    expect(page.locator("#step-form")).to_be_visible(timeout=WAIT)


def live(page) -> None:
    expect(page.locator("#connection")).to_have_attribute("data-state", "live", timeout=WAIT)


def swagger(page) -> None:
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible(timeout=WAIT)


# page name -> (path, what to do there before the check)
PAGES = {
    "home": ("/", None),
    "playbooks": ("/playbooks/", None),
    "run-form": ("/playbooks/", run_form),
    "playbooks-import": ("/playbooks/", opener("Import", "import-dialog")),
    "playbooks-import-set": ("/playbooks/", opener("Import a set", "import-set-dialog")),
    "playbook-detail": ("/playbooks/{playbook.pk}/", None),
    "playbook-step-editor": ("/playbooks/{playbook.pk}/", step_editor),
    "executions": ("/executions/", None),
    "run-running": ("/executions/{running.pk}/", live),
    "run-finished": ("/executions/{finished.pk}/", None),
    "credentials": ("/credentials/", opener("+ Add credential", "credential-dialog")),
    "gateways": ("/gateways/", opener("+ Add gateway", "gateway-dialog")),
    "schedules": ("/schedules/", opener("+ Add schedule", "schedule-dialog")),
    "notifications": ("/notifications/", None),
    "notification-destination-new": ("/notifications/destinations/new/", None),
    "notification-destination": ("/notifications/destinations/{destination.pk}/", None),
    "notification-rule-new": ("/notifications/rules/new/", None),
    "notification-rule": ("/notifications/rules/{rule.pk}/", None),
    "files": ("/files/", None),
    "files-upload": ("/files/upload/", None),
    "file-detail": ("/files/{library_file.pk}/", None),
    "admin-index": ("/admin/", None),
    "admin-user-change": ("/admin/accounts/user/{user.pk}/change/", None),
    "admin-credential-change": ("/admin/credentials/credential/{credential.pk}/change/", None),
    "api-docs": ("/api/v1/docs/", swagger),
}


def assert_clean(page, response, name: str) -> None:
    page.wait_for_load_state("networkidle")
    headers = response.headers
    assert "default-src 'self'" in headers.get("content-security-policy", ""), name
    assert "frame-ancestors 'none'" in headers["content-security-policy"], name
    assert headers.get("x-content-type-options") == "nosniff", name
    assert headers.get("referrer-policy") == "same-origin", name
    assert headers.get("x-frame-options") == "DENY", name
    assert headers.get("cross-origin-opener-policy") == "same-origin", name
    assert page.evaluate("window.__violations") == [], f"CSP violations on the {name} page"
    assert page.errors == [], f"Console errors on the {name} page"


def test_login_page_runs_under_the_policy(watched, live_server_url):
    response = watched.goto(f"{live_server_url}/accounts/login/")

    assert_clean(watched, response, "login")


@pytest.mark.parametrize("name", PAGES)
def test_page_runs_under_the_policy(name, pages, watched, log_in, live_server_url):
    path, action = PAGES[name]
    pages["user"].is_superuser = True  # every admin page, users' included
    pages["user"].save(update_fields=["is_superuser"])
    page = log_in(pages["user"])
    response = page.goto(live_server_url + path.format(**pages))
    if action:
        action(page)

    assert_clean(page, response, name)


def test_live_browser_frames_show_under_the_policy(
    team, operator, celery_worker_running, watched, log_in, live_server_url, in_thread
):
    steps = BROWSER_STEPS.format(url=live_server_url)
    execution = in_thread(execution_start, make_playbook(team, steps), actor=operator)
    page = log_in(operator)

    response = page.goto(f"{live_server_url}/executions/{execution.pk}/")
    frame = page.locator("#live-frame")
    expect(frame).to_have_attribute("src", re.compile(r"^data:image/jpeg;base64,"), timeout=WAIT)
    expect(page.locator("#frame-state")).to_have_text("Live · 2 FPS")

    assert frame.evaluate("image => image.naturalWidth") > 0
    assert_clean(page, response, "run-live-frames")
    page.locator('#run button[data-action="cancel"]').click()
    expect(page.locator("#run-status")).to_have_text("Cancelled", timeout=WAIT)
