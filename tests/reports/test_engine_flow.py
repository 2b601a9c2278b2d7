"""FAT runs through the engine record their reports: a ``Report`` row per generated report.

Discover → test → report → PDF runs against the simulator in real Chromium; a counts-only
report (no browser) checks the recording on its own.
"""

import pytest

from apps.reports.models import Report
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


COUNTS_ONLY = """
- id: report
  name: Report
  type: fat.generate_report
  parameters:
    test_results: {total: 3, passed: 2, failed: 1, skipped: 0}
    metadata: {project_name: Line 4}
- id: copy
  name: Export as HTML
  type: fat.export_report
  parameters: {report_id: "{{ step.report.report_id }}", format: html}
- id: note
  name: Note
  type: utility.log
  parameters: {message: done}
"""


def test_the_engine_records_a_row_for_each_generated_report(
    team, run_in_process, settings, tmp_path
):
    settings.ARTIFACTS_ROOT = tmp_path

    execution = run_in_process(playbook(team, COUNTS_ONLY)).wait(timeout=60)

    assert execution.status == "completed"
    generated = execution.steps.get(step_id="report")
    report = Report.objects.get(execution=execution)
    assert report.report_id == generated.outputs["report_id"]
    assert (report.title, report.step_path) == ("FAT report: Line 4", generated.path)
    assert (report.total, report.passed, report.failed, report.skipped) == (3, 2, 1, 0)
    assert report.html_artifact.name == generated.outputs["report"]["html"]
    assert report.pdf_artifact is None  # an HTML export adds no PDF
