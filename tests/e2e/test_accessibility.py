"""Accessibility smoke check of every server-rendered page in real Chromium against Daphne.

On each page (and each dialog a user opens) ``a11y.CHECK`` lists fields without labels,
controls without names, controls kept out of the Tab order, clickable hooks a keyboard cannot
reach and images without alt. The keyboard tests Tab through the playbooks and run pages.
"""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apps.executions.engine.run import execution_run
from apps.executions.models import Execution
from apps.executions.services.launch import execution_start
from apps.executions.services.lifecycle import execution_claim
from apps.notifications.services import destination_create, rule_create
from apps.playbooks.services.catalogue import playbook_update
from tests.accounts.factories import UserFactory
from tests.credentials.factories import CredentialFactory
from tests.e2e.a11y import CHECK, FOCUS_STATE
from tests.executions.factories import playbook as make_playbook
from tests.gateways.factories import GatewayFactory
from tests.playbooks.factories import PlaybookFactory
from tests.schedules.factories import make_schedule, scheduled_playbook

# The test database exists before the session's Chromium starts its event loop.
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("django_db_setup"),
]
WAIT = 30_000
TABS = 80
TYPED = """name: Module upgrade
version: "1.2"
description: Upload a module, with every kind of input.
domain: gateway
group: Gateway (Base Playbooks)
parameters:
  - {name: gateway_url, type: string, default: "http://localhost:8088"}
  - {name: login, type: credential, description: Vault credential used to log in.}
  - {name: attempts, type: integer, default: 1}
  - {name: signed, type: boolean, default: false}
  - {name: modules, type: list, required: false}
  - {name: module_file, type: file, required: false}
steps:
  - id: hello
    name: Say where the run goes
    type: utility.log
    parameters: {message: "Upgrading {{ parameter.gateway_url }}"}
  - id: nap
    name: Wait a moment
    type: utility.sleep
    parameters: {seconds: 1}
"""
STEPS = """
    - id: hello
      name: Say hello
      type: utility.log
      parameters: {message: Hello from the accessibility check}
"""


@pytest.fixture(autouse=True, scope="module")
def _database_beside_playwright_until_the_end():
    """Like the conftest's fixture, but it outlives the flush of the transactional database."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


def finished_run(team, actor) -> Execution:
    """A run carried out here to the end, so its page has steps and log lines."""
    execution = execution_start(make_playbook(team, STEPS, name="Say hello"), actor=actor)
    execution_run(execution_claim(execution.pk, hostname="a11y@local", task_id="a11y"))
    return Execution.objects.get(pk=execution.pk)


def running_run(team, actor) -> Execution:
    """A run marked running (no worker here), so Pause, Skip and Cancel are enabled."""
    execution = execution_start(make_playbook(team, STEPS, name="Long check"), actor=actor)
    Execution.objects.filter(pk=execution.pk).update(status="running", started_at=timezone.now())
    return execution


@pytest.fixture
def portal(team, other_team, in_thread):
    """An admin of two teams (every control and team choice shows) and a team with playbooks
    (one at revision 2), a credential, a gateway, a finished and a running run."""
    teams = [team, other_team]
    admin = UserFactory(username="ada-admin", roles=["admin"], teams=teams, is_staff=True)
    playbook = PlaybookFactory(team=team, path="gateway/module_upgrade.yaml", yaml_text=TYPED)
    playbook_update(playbook, actor=admin, yaml_text=TYPED + "# checked\n", change_note="Note")
    PlaybookFactory(team=team, path="gateway/login.yaml", name="Gateway login")
    credential = CredentialFactory(team=team, name="line1-admin", owner=admin)
    gateway = GatewayFactory(team=team, name="Line 1 gateway", default_credential=credential)
    make_schedule(scheduled_playbook(team), admin)
    hook = destination_create(
        team=team,
        actor=admin,
        name="Plant chat",
        channel="webhook",
        url="http://127.0.0.1:9/hook",
        secret="hook-secret-5f2b9c1e7a",
    )
    rule = rule_create(team=team, actor=admin, name="Failures", destinations=[hook])
    return {
        "user": admin,
        "destination": hook,
        "rule": rule,
        "playbook": playbook,
        "credential": credential,
        "gateway": gateway,
        "finished": in_thread(finished_run, team, admin),
        "running": in_thread(running_run, team, admin),
    }


def open_dialog(page, button, dialog: str) -> None:
    button.click()
    expect(page.locator(f"dialog#{dialog}")).to_be_visible(timeout=WAIT)


def run_dialog(page, data) -> None:
    card = page.locator(f'[data-testid=playbook-card][data-playbook="{data["playbook"].pk}"]')
    open_dialog(page, card.get_by_role("button", name="Run"), "run-dialog")
    expect(page.locator("#run-form")).to_be_visible(timeout=WAIT)
    page.locator("#run-form summary", has_text="Save as").click()


def yaml_problems(page, data) -> None:
    text = data["playbook"].current_version.yaml_text
    page.locator("#yaml-text").fill(text.replace("utility.sleep", "utility.slep"))
    expect(page.locator("#yaml-issues .issue")).to_be_visible(timeout=WAIT)


def diff(page, data) -> None:
    page.get_by_role("button", name="Changes", exact=True).click()
    expect(page.locator("#diff-view")).to_be_visible(timeout=WAIT)


def step_editor(page, data) -> None:
    open_dialog(page, page.get_by_role("button", name="Edit").first, "step-dialog")
    expect(page.locator("#step-form")).to_be_visible(timeout=WAIT)


def edit_row(dialog_form: str):
    def edit(page, data) -> None:
        open_dialog(page, page.get_by_role("button", name="Edit").first, "edit-dialog")
        expect(page.locator(dialog_form)).to_be_visible(timeout=WAIT)

    return edit


def edit_link(dialog_form: str):
    def edit(page, data) -> None:
        open_dialog(page, page.get_by_role("link", name="Edit").first, "edit-dialog")
        expect(page.locator(dialog_form)).to_be_visible(timeout=WAIT)

    return edit


def opener(name: str, dialog: str):
    button = lambda page: page.get_by_role("button", name=name, exact=True)  # noqa: E731
    return lambda page, data: open_dialog(page, button(page), dialog)


# page name -> (path, what to do there before the check)
PAGES = {
    "home": ("/", None),
    "playbooks": ("/playbooks/", None),
    "playbooks-new": ("/playbooks/", opener("+ New playbook", "create-dialog")),
    "playbooks-import": ("/playbooks/", opener("Import", "import-dialog")),
    "playbooks-import-set": ("/playbooks/", opener("Import a set", "import-set-dialog")),
    "run-dialog": ("/playbooks/", run_dialog),
    "playbook-detail": ("/playbooks/{playbook.pk}/", None),
    "playbook-export-menu": (
        "/playbooks/{playbook.pk}/",
        lambda page, data: page.locator("summary", has_text="Export").click(),
    ),
    "playbook-yaml-editor": ("/playbooks/{playbook.pk}/", yaml_problems),
    "playbook-form-editor": ("/playbooks/{playbook.pk}/", step_editor),
    "playbook-diff": ("/playbooks/{playbook.pk}/", diff),
    "playbook-duplicate": ("/playbooks/{playbook.pk}/", opener("Duplicate", "duplicate-dialog")),
    "playbook-delete": ("/playbooks/{playbook.pk}/", opener("Delete", "delete-dialog")),
    "executions": ("/executions/", None),
    "batches": ("/executions/batches/", None),
    "run-finished": ("/executions/{finished.pk}/", None),
    "run-running": ("/executions/{running.pk}/", None),
    "credentials": ("/credentials/", None),
    "credentials-new": ("/credentials/", opener("+ Add credential", "credential-dialog")),
    "credentials-edit": ("/credentials/", edit_row("#credential-edit-form")),
    "gateways": ("/gateways/", None),
    "gateways-new": ("/gateways/", opener("+ Add gateway", "gateway-dialog")),
    "gateways-edit": ("/gateways/", edit_row("form[id^=gateway-form-]")),
    "schedules": ("/schedules/", None),
    "schedules-new": ("/schedules/", opener("+ Add schedule", "schedule-dialog")),
    "schedules-edit": ("/schedules/", edit_link("form[id^=schedule-form-]")),
    "notifications": ("/notifications/", None),
    "notification-destination-new": ("/notifications/destinations/new/", None),
    "notification-destination": ("/notifications/destinations/{destination.pk}/", None),
    "notification-rule-new": ("/notifications/rules/new/", None),
    "notification-rule": ("/notifications/rules/{rule.pk}/", None),
}


def check(page, name: str, screenshot) -> None:
    page.wait_for_load_state("networkidle")
    problems = page.evaluate(CHECK)
    screenshot(f"a11y-{name}")
    assert problems == [], f"Accessibility problems on the {name} page: {problems}"


def test_login_page_passes_the_accessibility_check(page, live_server_url, screenshot):
    page.goto(f"{live_server_url}/accounts/login/")
    expect(page.locator("#id_username")).to_be_focused()
    check(page, "login", screenshot)


@pytest.mark.parametrize("name", PAGES)
def test_page_passes_the_accessibility_check(name, portal, log_in, live_server_url, screenshot):
    path, action = PAGES[name]
    page = log_in(portal["user"])
    page.goto(live_server_url + path.format(**portal))
    if action:
        action(page, portal)
    check(page, name, screenshot)


def tab_through(page, until) -> list[dict]:
    """Press Tab from the top of the page until ``until(state)`` holds; every focus stop."""
    page.locator("body").focus()
    stops = []
    for _ in range(TABS):
        page.keyboard.press("Tab")
        stops.append(page.evaluate(FOCUS_STATE))
        if until(stops[-1]):
            return stops
    raise AssertionError(f"{TABS} Tab presses did not get there: {[s['element'] for s in stops]}")


def without_indicator(stops: list[dict]) -> list[str]:
    return [stop["element"] for stop in stops if not (stop["indicator"] and stop["onscreen"])]


def test_keyboard_reaches_the_run_button_on_the_playbooks_page(
    portal, log_in, live_server_url, screenshot
):
    page = log_in(portal["user"])
    page.goto(f"{live_server_url}/playbooks/")
    stops = tab_through(page, lambda stop: stop["testid"] == "run-button")
    reached = [stop["element"] for stop in stops]
    assert reached[0] == "a Ignition Automation Portal", reached
    assert any("#filter-search" in element for element in reached), reached
    assert without_indicator(stops) == [], "Focus stops without a visible focus indicator"
    screenshot("a11y-keyboard-playbooks")

    page.keyboard.press("Enter")
    expect(page.locator("#run-form")).to_be_visible(timeout=WAIT)
    stops = tab_through(page, lambda stop: stop["testid"] == "start-run")
    assert without_indicator(stops) == [], "Focus stops in the Run dialog without an indicator"
    page.keyboard.press("Escape")
    expect(page.locator("#run-dialog")).to_be_hidden()


def test_keyboard_reaches_the_run_controls_on_the_run_page(
    portal, log_in, live_server_url, screenshot
):
    page = log_in(portal["user"])
    page.goto(f"{live_server_url}/executions/{portal['running'].pk}/")
    expect(page.locator("#connection")).to_have_attribute("data-state", "live", timeout=WAIT)
    stops = tab_through(page, lambda stop: stop["element"].startswith("select#log-level"))
    actions = [stop["action"] for stop in stops if stop["action"]]
    assert actions == ["pause", "skip-back", "skip", "cancel"], actions
    assert any(stop["element"].startswith("input#debug-switch") for stop in stops)
    assert without_indicator(stops) == [], "Focus stops without a visible focus indicator"
    page.locator('#run button[data-action="cancel"]').focus()
    screenshot("a11y-keyboard-run-page")
