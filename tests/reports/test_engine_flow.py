"""Discover → test → report → PDF through the engine, against the simulator in real Chromium.

The engine does not call ``report_record`` yet (docs/perspective.md, "Recording reports"):
this test makes the call the engine hook will make after each completed ``fat.*`` step.
"""

import pytest

from apps.reports.models import Report
from apps.reports.services import report_record
from tests.executions.factories import playbook

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def suite(url: str) -> str:
    return f"""
    - id: open
      name: Open the defective view
      type: browser.navigate
      parameters: {{url: "{url}"}}
    - id: discover
      name: Discover
      type: perspective.discover_page
      parameters: {{selector: "#app-container", types: [button, link]}}
    - id: tests
      name: Test the buttons
      type: perspective.execute_test_manifest
      timeout: 120
      parameters:
        manifest:
          - {{component_id: submit, action: click, selector: "#submit-button",
              expected: "Status: submitted"}}
          - {{component_id: home, action: click, selector: "#home-link"}}
        capture_screenshots: false
    - id: report
      name: Report
      type: fat.generate_report
      parameters:
        test_results: "{{{{ step.tests }}}}"
        metadata: {{project_name: SimDemo, tester: "{{{{ step.discover.count }}}} found"}}
    - id: pdf
      name: Export the PDF
      type: fat.export_report
      parameters: {{report_id: "{{{{ step.report.report_id }}}}"}}
"""


def test_a_perspective_fat_run_ends_with_its_report_files_and_row(
    team,
    run_in_process,
    perspective,
    settings,
    tmp_path,
):
    settings.ARTIFACTS_ROOT = tmp_path
    settings.BROWSER_TRACE = False

    run = run_in_process(playbook(team, suite(perspective.url("defective"))))
    execution = run.wait(timeout=120)

    steps = {row.step_id: row for row in execution.steps.all()}
    assert execution.status == "completed"
    assert steps["discover"].outputs["count"] == 5  # Submit, the three row buttons, the link
    tests = steps["tests"].outputs
    assert (tests["status"], tests["passed"], tests["failed"]) == ("failed", 1, 1)
    shot = execution.artifacts.get(kind="screenshot")
    assert tests["results"][0]["screenshot"] == shot.name  # the defect's evidence
    assert shot.step_run == steps["tests"]
    for step_id in ("report", "pdf"):
        report_record(execution.pk, steps[step_id].path, steps[step_id].outputs)
    report = Report.objects.get(execution=execution)
    assert (report.title, report.step_path) == ("FAT report: SimDemo", steps["report"].path)
    assert (report.total, report.passed, report.failed, report.skipped) == (2, 1, 1, 0)
    html, pdf = report.html_artifact, report.pdf_artifact
    assert (html.kind, html.step_run, pdf.kind, pdf.step_run) == (
        "report",
        steps["report"],
        "report",
        steps["pdf"],
    )
    assert (tmp_path / pdf.path).read_bytes().startswith(b"%PDF-")
    page = (tmp_path / html.path).read_text()
    assert "data:image/png;base64," in page
    assert "5 found" in page
