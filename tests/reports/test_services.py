"""report_record: the Report row behind fat.generate_report and fat.export_report outputs."""

import pytest
from django.contrib import admin

from apps.executions.models import Artifact
from apps.executions.services.launch import execution_start
from apps.reports.admin import ReportAdmin
from apps.reports.models import Report
from apps.reports.services import report_record
from tests.executions.factories import playbook

pytestmark = pytest.mark.django_db

LOG = """
    - id: one
      name: One
      type: utility.log
      parameters: {message: one}
"""


@pytest.fixture
def execution(team, operator):
    return execution_start(playbook(team, LOG), actor=operator)


def artifact(execution, name: str) -> Artifact:
    return Artifact.objects.create(
        execution=execution, kind="report", name=name, path=f"{execution.pk}/{name}"
    )


def generated(html: str = "r1.html", **counts) -> dict:
    entry = {"report_id": "r1", "title": "FAT report: SimDemo", "html": html}
    entry.update({"total": 3, "passed": 2, "failed": 1, "skipped": 0, **counts})
    return {"status": "generated", "report": entry, "artifacts": [html]}


def test_a_generated_report_becomes_a_row_linked_to_its_html(execution):
    html = artifact(execution, "r1.html")

    report = report_record(execution.pk, "3", generated())

    report.refresh_from_db()
    assert (report.execution, report.report_id, report.step_path) == (execution, "r1", "3")
    assert (report.title, report.total, report.passed, report.failed, report.skipped) == (
        "FAT report: SimDemo",
        3,
        2,
        1,
        0,
    )
    assert (report.html_artifact, report.pdf_artifact) == (html, None)
    assert str(report) == "FAT report: SimDemo (r1)"
    assert list(execution.reports.all()) == [report]


def test_an_export_adds_the_pdf_to_the_same_row(execution):
    artifact(execution, "r1.html")
    pdf = artifact(execution, "r1.pdf")
    report_record(execution.pk, "3", generated())

    again = report_record(execution.pk, "4", {"report": {"report_id": "r1", "pdf": "r1.pdf"}})

    assert Report.objects.count() == 1
    again.refresh_from_db()
    assert (again.pdf_artifact, again.step_path, again.passed) == (pdf, "3", 2)


def test_an_export_recorded_first_creates_a_plain_row(execution):
    report = report_record(execution.pk, "2.1", {"report": {"report_id": "r9"}})

    assert (report.title, report.total, report.step_path, report.html_artifact) == (
        "FAT report",
        0,
        "2.1",
        None,
    )


def test_regenerating_updates_counts_and_ignores_bad_values(execution):
    report_record(execution.pk, "3", generated())

    report = report_record(
        execution.pk, "3", generated(html="missing.html", passed=-4, failed="x", title="T" * 300)
    )

    report.refresh_from_db()
    assert (report.passed, report.failed, len(report.title)) == (0, 1, 200)
    assert report.html_artifact is None  # no artifact of that name in the run


@pytest.mark.parametrize(
    "outputs", [{}, {"report": "r1"}, {"report": {"title": "no id"}}, ["report"], None]
)
def test_outputs_without_a_report_record_nothing(execution, outputs):
    assert report_record(execution.pk, "1", outputs) is None
    assert Report.objects.count() == 0


def test_reports_are_read_only_in_the_admin(rf):
    model_admin = ReportAdmin(Report, admin.site)

    assert model_admin.has_add_permission(rf.get("/")) is False
    assert model_admin.has_change_permission(rf.get("/")) is False
    assert "pdf_artifact" in model_admin.readonly_fields
