"""Browser playbooks run by the engine: one browser per run, artifacts and trace in the DB."""

import zipfile
from pathlib import Path

import pytest

from apps.executions.models import Artifact
from apps.executions.services.control import execution_cancel
from tests.executions.factories import playbook

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def _artifacts_in_tmp(settings, tmp_path):
    settings.ARTIFACTS_ROOT = tmp_path


def test_a_browser_playbook_completes_with_its_screenshot_and_trace(
    team, run_in_process, site, settings
):
    book = playbook(
        team,
        """
        - id: open
          name: Open the form
          type: browser.navigate
          parameters: {url: "{{ parameter.base }}/form.html", timeout: 10000}
        - id: name
          name: Type a name
          type: browser.fill
          parameters: {selector: "#name", value: Ada}
        - id: go
          name: Press Go
          type: browser.click
          parameters: {selector: "#go"}
        - id: check
          name: Check the greeting
          type: browser.verify_text
          parameters: {selector: "#out", text: Hello Ada}
        - id: there
          name: The button is there
          type: browser.verify
          parameters: {selector: "#go", state: visible}
        - id: shot
          name: Evidence
          type: browser.screenshot
          parameters: {path: form/after.png}
        """,
        parameters="""
        - name: base
          type: string
          default: http://localhost
        """,
    )

    execution = run_in_process(book, parameters={"base": site.url("")}).wait(60)

    assert (execution.status, execution.status_reason) == ("completed", "")
    assert execution.steps.get(step_id="shot").outputs == {
        "screenshot": "form_after.png",
        "status": "captured",
    }
    assert execution.steps.get(step_id="check").outputs["actual_text"] == "Hello Ada"
    artifacts = {a.kind: a for a in Artifact.objects.filter(execution=execution)}
    assert sorted(artifacts) == ["screenshot", "trace"]
    assert (artifacts["screenshot"].name, artifacts["screenshot"].step_run.step_id) == (
        "form_after.png",
        "shot",
    )
    assert (artifacts["trace"].name, artifacts["trace"].content_type) == (
        "trace.zip",
        "application/zip",
    )
    with zipfile.ZipFile(Path(settings.ARTIFACTS_ROOT) / artifacts["trace"].path) as trace:
        assert "trace.trace" in trace.namelist()


def test_cancel_reaches_a_browser_step_through_the_engine(team, operator, run_in_process, site):
    book = playbook(
        team,
        f"""
        - id: open
          name: Open a page that never answers
          type: browser.navigate
          parameters: {{url: "{site.url("/slow")}", timeout: 0}}
        """,
    )
    run = run_in_process(book)
    run.wait_for(lambda e: e.steps.get(step_id="open").status == "running")

    execution_cancel(run.execution, actor=operator)
    execution = run.wait(15)

    assert execution.status == "cancelled"
    assert execution.steps.get(step_id="open").status == "cancelled"
    assert Artifact.objects.filter(execution=execution, kind="trace").count() == 1
