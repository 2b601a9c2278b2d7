"""Real Chromium through the web UI of both profiles (the flows the shipped playbooks drive)."""

import re
import zipfile

import pytest
from playwright.sync_api import expect

from .helpers import build_modl

pytestmark = pytest.mark.e2e


def login_83(page, url: str) -> None:
    page.goto(url)
    page.click("a.login-link")
    page.fill("input[name='username']", "admin")
    page.click("text='CONTINUE'")
    page.fill("input[name='password']", "password")
    page.click("text='CONTINUE'")
    expect(page.locator(".home-page")).to_be_visible()


def login_81(page, url: str) -> None:
    page.goto(f"{url}/web/home")
    page.click("#login-link")
    page.fill("input[name=username]", "admin")
    page.click(".submit-button")
    page.fill("input[name=password]", "password")
    page.click(".submit-button")
    expect(page.locator("div.user-info span")).to_have_text("admin")


def check_backup(download, layout_entry: str) -> None:
    assert download.suggested_filename.endswith(".gwbk")
    with zipfile.ZipFile(download.path()) as archive:
        assert layout_entry in archive.namelist()


def test_83_login_install_module_restart_and_backup(page, live_simulator, tmp_path):
    simulator = live_simulator(time_scale=0.01)
    module_file = tmp_path / "demo.modl"
    module_file.write_bytes(build_modl())

    login_83(page, simulator.url)
    expect(page.locator("nav")).to_be_visible()
    page.goto(f"{simulator.url}/app/platform/system/modules")
    page.click('button:has-text("Install or Upgrade Module")')
    page.set_input_files('input[type="file"][accept=".modl"]', str(module_file))
    page.click('button[data-label="Install Module"][data-component="web-ui.button"]')
    page.click("text=I accept the module certificate")
    page.click('button[data-component="web-ui.button"]:has-text("Accept")')
    page.click("label:has-text('I accept')")
    page.click('button[data-component="web-ui.button"]:has-text("Accept")')
    expect(page.locator('text="PENDING RESTART"')).to_be_visible()
    assert simulator.gateway.modules.installed["com.example.demo"].state == "INACTIVE"

    page.click(".restart-required-bar button:has-text('Restart Gateway')")
    page.click("text=I understand the risks")
    page.click('button[id="restart gateway-button"]')
    page.wait_for_url(re.compile(r"/app/home$"))
    page.goto(f"{simulator.url}/app/platform/system/modules")
    expect(page.locator("tr[data-module-id='com.example.demo'] .module-state")).to_have_text(
        "Running"
    )
    assert simulator.gateway.lifecycle.restarts == 1

    page.goto(f"{simulator.url}/app/platform/system/backup-restore/backup")
    with page.expect_download() as download:
        page.click("text=Download Backup")
    check_backup(download.value, "config/resources/core/ignition/api-token/simulator/config.json")


def test_83_uninstall_via_menu_api_key_and_trial_reset(page, live_simulator):
    simulator = live_simulator(time_scale=0.01)
    login_83(page, simulator.url)

    page.goto(f"{simulator.url}/app/platform/system/modules")
    page.fill('input[placeholder*="Filter"]', "Vision")
    page.click('button[aria-label*="more"]')
    page.click('li:has-text("Uninstall")')
    page.click('button:has-text("Uninstall")')
    expect(page.locator('text="PENDING RESTART"')).to_be_visible()
    assert simulator.gateway.modules.installed["com.inductiveautomation.vision"].pending

    page.goto(f"{simulator.url}/app/platform/security/api-keys")
    page.click('button:has-text("Create API Key")')
    page.fill("#name-input", "browser-key")
    page.uncheck("#secure-input")
    page.click('button:has-text("Next")')
    key = page.locator("input#api-key[disabled]")
    expect(key).to_have_value(re.compile(r"^browser-key:.+"))
    name, secret = key.input_value().split(":", 1)
    assert simulator.gateway.resources.check_token(name, secret).write is True
    page.click('button:has-text("Done")')
    expect(page.locator("tr[data-key-name='browser-key']")).to_be_visible()
    expect(page.locator("input#api-key")).to_have_value("")

    simulator.gateway.expire_trial()
    page.goto(f"{simulator.url}/app/platform/system/licensing")
    page.click('button:has-text("Reset Trial")')
    expect(page.locator(".trial-active")).to_be_visible()
    assert simulator.gateway.trial_expired is False


def test_83_bad_password_stays_on_the_login_page(page, live_simulator):
    simulator = live_simulator()
    page.goto(f"{simulator.url}/data/app/login")
    page.fill("input[name='username']", "admin")
    page.click("text='CONTINUE'")
    page.fill("input[name='password']", "wrong")
    page.click("text='CONTINUE'")

    expect(page.locator(".error-message")).to_have_text("Invalid username or password.")


def test_81_login_install_module_and_backup(page, live_simulator, tmp_path):
    simulator = live_simulator(version="8.1.x")
    module_file = tmp_path / "demo.modl"
    module_file.write_bytes(build_modl())

    login_81(page, simulator.url)
    expect(page.locator("#reset-trial-anchor")).to_have_text("Reset Trial")
    page.goto(f"{simulator.url}/web/config/system.modules")
    page.click("text=Install or Upgrade a Module")
    page.set_input_files("input[type=file]", str(module_file))
    page.click(".submit-button")
    page.check("input[name=accept]")
    page.click(".submit-button")
    page.check("input[name=accept]")
    page.click(".submit-button")
    expect(page.locator("tr[data-module-id='com.example.demo']")).to_contain_text("Running")

    page.goto(f"{simulator.url}/web/config/system.backup")
    with page.expect_download() as download:
        page.click("text=Download Backup")
    check_backup(download.value, "db_backup_sqlite.idb")


def test_perspective_components_dock_shadow_root_navigation_and_defect(page, live_simulator):
    simulator = live_simulator()
    page.goto(f"{simulator.url}/data/perspective/client/SimDemo")

    page.click("#increment-button")
    page.click("#increment-button")
    page.fill("#name-field", "Ada")
    page.click("#pump-toggle")
    page.click("#mode-dropdown")
    page.click(".ia_dropdown__option:has-text('Manual')")
    page.click("#refill-button")
    page.click("#open-dock")
    expect(page.locator("#nav-dock")).to_be_visible()

    expect(page.locator("#click-count")).to_have_text("Clicks: 2")
    expect(page.locator("#greeting")).to_have_text("Hello, Ada")
    expect(page.locator("#pump-toggle")).to_have_attribute("aria-checked", "true")
    expect(page.locator("#mode-state")).to_have_text("Mode: Manual")
    expect(page.locator("#gauge-value")).to_have_text("Level: 100%")
    assert page.evaluate("document.querySelector('#tank-gauge').shadowRoot !== null")
    assert page.locator("[data-component-path]").count() >= 15

    page.click("#dock-controls-link")
    page.wait_for_url(re.compile(r"/SimDemo/controls$"))
    page.click("[data-tab-index='1']")
    expect(page.locator("[data-pane-index='1']")).to_be_visible()

    page.goto(f"{simulator.url}/data/perspective/client/SimDemo/defective")
    page.click("#submit-button")
    expect(page.locator("#submit-status")).to_have_text("Status: waiting")
    tops = [page.locator(f"#row-button-{i}").bounding_box()["y"] for i in range(3)]
    assert tops[0] == tops[2] != tops[1]
