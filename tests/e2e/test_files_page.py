"""The Files page in real Chromium against a live Daphne: upload a module, see its version,
then pick it on the Run dialog of a playbook with a file parameter and start a run."""

import re

import pytest
from playwright.sync_api import expect

from apps.executions.models import Execution
from apps.files.models import LibraryFile
from tests.executions.factories import playbook
from tests.files.helpers import PARAMETERS, STEP, modl

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("django_db_setup"),
]
WAIT = 30_000


def test_upload_a_module_and_pick_it_on_the_run_dialog(
    log_in, live_server_url, screenshot, team, operator, tmp_path
):
    book = playbook(team, STEP, parameters=PARAMETERS, name="Install from the library")
    local = tmp_path / "demo.modl"
    local.write_bytes(modl())
    page = log_in(operator)

    page.goto(f"{live_server_url}/files/")
    page.get_by_role("link", name="+ Upload file").click()
    page.set_input_files("#id_file", str(local))
    page.fill("#id_description", "Demo module for line 1")
    page.get_by_role("button", name="Upload").click()
    expect(page.locator("h1")).to_have_text("demo.modl", timeout=WAIT)
    expect(page.locator("#version-1")).to_contain_text("latest")
    screenshot("files-detail")

    page.goto(f"{live_server_url}/playbooks/{book.pk}/run/")
    library_file = LibraryFile.objects.get()
    page.select_option("#run-module_file-library", str(library_file.pk))
    screenshot("files-run-dialog")
    page.click("[data-testid=start-run]")
    page.wait_for_url(re.compile(r"/executions/[0-9a-f-]{36}/$"), timeout=WAIT)

    execution = Execution.objects.get()
    assert execution.parameters == {"module_file": {"file": library_file.pk, "version": 1}}
