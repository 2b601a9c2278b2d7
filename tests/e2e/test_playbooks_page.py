"""The playbooks page in real Chromium against a live Daphne: Run dialog, preset, start a run."""

import re

import pytest
from playwright.sync_api import expect

from apps.executions.models import Execution
from apps.playbooks.models import Preset
from tests.accounts.factories import UserFactory
from tests.credentials.factories import CredentialFactory
from tests.gateways.factories import GatewayFactory
from tests.playbooks.factories import PlaybookFactory

# The test database exists before the session's Chromium starts its event loop.
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("django_db_setup"),
]
WAIT = 30_000
TYPED = """name: Module upgrade
version: "1.2"
description: Upload a module and restart the gateway, with every kind of input.
domain: gateway
group: Gateway (Base Playbooks)
parameters:
  - name: gateway_url
    type: string
    default: http://localhost:8088
    description: Base URL of the gateway.
  - name: login
    type: credential
    description: Vault credential used to log in.
  - name: attempts
    type: integer
    default: 1
  - name: signed
    type: boolean
    default: false
    description: Only accept signed modules.
  - name: modules
    type: list
    required: false
  - name: module_file
    type: file
    required: false
steps:
  - id: hello
    name: Say where the run goes
    type: utility.log
    parameters:
      message: "Upgrading {{ parameter.gateway_url }}"
  - id: nap
    name: Wait a moment
    type: utility.sleep
    timeout: 30
    retry_count: 2
    parameters:
      seconds: 1
"""


@pytest.fixture(autouse=True, scope="module")
def _database_beside_playwright_until_the_end():
    """Like the conftest's fixture, but it outlives the flush of the transactional database."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture
def catalogue():
    """An operator-and-editor in a team with a typed playbook, a credential and a gateway."""
    user = UserFactory(username="pat-operator", roles=["operator", "editor"])
    playbook = PlaybookFactory(path="gateway/module_upgrade.yaml", yaml_text=TYPED)
    team = playbook.team
    user.teams.add(team)
    PlaybookFactory(team=team, path="gateway/login.yaml", name="Gateway login")
    CredentialFactory(team=team, name="line1-admin", owner=user, gateway_url="http://gw:8088")
    GatewayFactory(team=team, name="Line 1 gateway", base_url="http://gw.local:8088")
    return user, playbook


def test_run_dialog_saves_a_preset_and_starts_a_run(log_in, live_server_url, screenshot, catalogue):
    user, playbook = catalogue
    page = log_in(user)
    page.goto(f"{live_server_url}/playbooks/")
    card = page.locator(f'[data-testid=playbook-card][data-playbook="{playbook.pk}"]')
    expect(card).to_contain_text("v1.2 · r1")
    expect(card).to_contain_text("2 steps")
    screenshot("playbooks-list")

    card.get_by_role("button", name="Run").click()
    dialog = page.locator("#run-dialog")
    expect(dialog).to_be_visible(timeout=WAIT)
    page.fill("#run-gateway_url", "http://gw.local:8088")
    page.select_option("#run-login", "line1-admin")
    page.fill("#run-attempts", "3")
    page.locator("label.switch:has(#run-signed)").click()
    page.fill("#run-modules", '["alarm-notification", "reporting"]')
    page.fill("#run-module_file", "/data/modules/reporting.modl")
    dialog.locator("summary", has_text="Save as").click()
    page.fill("#run-preset-name", "Line 1 upgrade")
    page.click("button[value=save_as]")
    expect(dialog.locator(".notice.ok")).to_have_text("Preset “Line 1 upgrade” saved.")
    expect(page.locator("#run-preset option:checked")).to_have_text("Line 1 upgrade")
    screenshot("playbooks-run-dialog")

    page.locator("label.switch:has(#run-debug)").click()
    page.click("[data-testid=start-run]")
    page.wait_for_url(re.compile(r"/executions/[0-9a-f-]{36}/$"), timeout=WAIT)

    execution = Execution.objects.get()
    assert page.url == f"{live_server_url}/executions/{execution.pk}/"
    assert (execution.playbook, execution.requested_by, execution.debug) == (playbook, user, True)
    assert execution.parameters == {
        "gateway_url": "http://gw.local:8088",
        "login": "line1-admin",
        "attempts": 3,
        "signed": True,
        "modules": ["alarm-notification", "reporting"],
        "module_file": "/data/modules/reporting.modl",
    }
    preset = Preset.objects.get()
    assert (preset.name, preset.owner, preset.values["attempts"]) == ("Line 1 upgrade", user, 3)


def test_pages_in_light_and_dark_theme(log_in, live_server_url, screenshot, catalogue):
    user, playbook = catalogue
    page = log_in(user)
    pages = {
        "playbooks": "/playbooks/",
        "playbook-detail": f"/playbooks/{playbook.pk}/",
        "credentials": "/credentials/",
        "gateways": "/gateways/",
    }
    for theme in ("light", "dark"):
        page.evaluate(f"localStorage.setItem('theme', '{theme}')")
        for name, path in pages.items():
            page.goto(f"{live_server_url}{path}")
            expect(page.locator("html")).to_have_attribute("data-theme", theme)
            screenshot(f"{name}-{theme}")
    GatewayFactory(team=playbook.team, name="This portal", base_url=live_server_url)
    page.goto(f"{live_server_url}/gateways/")
    page.locator("tr", has_text="This portal").get_by_role("button", name="Ping").click()
    expect(page.locator(".probe-result.bad")).to_contain_text("answered HTTP 404", timeout=WAIT)
    screenshot("gateways-ping-dark")
    page.goto(f"{live_server_url}/playbooks/{playbook.pk}/")
    editor = page.locator("#yaml-text")
    editor.fill(TYPED.replace("type: utility.sleep", "type: utility.slep"))
    issue = page.locator("#yaml-issues .issue")
    expect(issue).to_contain_text("Line 35, column 11", timeout=WAIT)
    expect(issue).to_contain_text("utility.sleep")
    expect(page.locator(".gutter .bad")).to_have_text("35")
    page.get_by_role("button", name="Edit").last.click()
    expect(page.locator("#step-dialog")).to_be_visible(timeout=WAIT)
    expect(page.locator("#step-param-seconds")).to_have_value("1")
    screenshot("playbook-step-editor-dark")
