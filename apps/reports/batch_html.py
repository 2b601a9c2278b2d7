"""A batch as one HTML file that opens offline: a summary table (one row per gateway: status,
duration, failed step) and, for each gateway, its last run as the run's own report shows it
(steps, durations, errors, screenshots inline, log, parameters with secrets masked)."""

from django.template.loader import render_to_string
from django.utils import timezone

from apps.executions import batch_selectors
from apps.executions.batch_selectors import BatchRow
from apps.executions.models import Batch, StepStatus
from apps.reports.html_report import run_context
from apps.reports.run_report import RunReport, run_report_load


def batch_html_report(batch: Batch) -> str:
    rows = batch_selectors.batch_rows(batch)
    runs = [_run_section(index, row) for index, row in enumerate(rows, start=1)]
    context = {
        "batch": batch,
        "counts": batch_selectors.batch_counts(rows),
        "runs": runs,
        "generated_at": timezone.now(),
    }
    return render_to_string("reports/batch_report.html", context)


def _run_section(index: int, row: BatchRow) -> dict:
    report = run_report_load(row.run)
    mask = report.masker.mask
    return {
        **run_context(report),
        "anchor": f"gateway-{index}",
        "gateway": mask(row.gateway),
        "attempts": row.attempts,
        "duration": row.duration_seconds,
        "failed_step": mask(_first_failed_step(report)),
    }


def _first_failed_step(report: RunReport) -> str:
    for entry in report.walk():
        if entry.row.status == StepStatus.FAILED:
            return f"{entry.row.path} {entry.label}"
    return ""
