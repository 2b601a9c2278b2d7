"""fat.export_report: a generated report as an HTML copy or a real PDF.

The PDF is Chromium's print-to-PDF of the report (``page.pdf``) in a tab of its own in the
run's browser, so a cancel or step timeout stops it like any browser call.
"""

import contextlib
import re

from playwright.sync_api import Error as PlaywrightError

from apps.steps.errors import StepError
from apps.steps.files import run_file
from apps.steps.params import parse, require
from apps.steps.plugins.browser.base import explain
from apps.steps.plugins.browser.session import session_for

REPORT_ID = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]*")
PDF_MS = 30000
CONTENT_TYPES = {"pdf": "application/pdf", "html": "text/html"}


def print_pdf(context, html: str) -> bytes:
    """``html`` printed to an A4 PDF by the run's Chromium."""
    session = session_for(context)
    with session.switch.playwright_side():
        return _print(session, session.context, html)


def _print(session, context, html: str) -> bytes:
    session.page  # noqa: B018 - reopens the browser or tab when the last one died
    page = session.browser_context.new_page()
    try:
        with session.guarded(context):
            page.set_content(html, wait_until="load", timeout=PDF_MS)
            return page.pdf(format="A4", print_background=True)
    except PlaywrightError as exc:
        context.check()  # a kill by the interrupter: cancel, skip or timeout
        raise StepError(f"Could not print the report to PDF: {explain(exc, session)}") from exc
    finally:
        with contextlib.suppress(PlaywrightError):
            page.close()


def run(context, params: dict) -> dict:
    values = parse("fat.export_report", params, context.log)
    report_id, fmt = values["report_id"].strip(), values["format"]
    require(
        bool(REPORT_ID.fullmatch(report_id)),
        f"'report_id' must be the id of a generated report (e.g. "
        f"{{{{ step.report.report_id }}}}), not {report_id!r}",
    )
    source = run_file(context, f"{report_id}.html")
    if source is None:
        raise StepError(
            f"This run has no report '{report_id}': generate it first with fat.generate_report",
            retryable=False,
        )
    name = values.get("output_path") or f"{report_id}.{fmt}"
    if not name.lower().endswith(f".{fmt}"):
        name = f"{name}.{fmt}"
    context.check()
    data = print_pdf(context, source.read_text("utf-8")) if fmt == "pdf" else source.read_bytes()
    artifact = context.save_artifact("report", name, data=data, content_type=CONTENT_TYPES[fmt])
    context.log(f"Exported report {report_id} as {artifact.name}", "info")
    entry = {"report_id": report_id, "pdf": artifact.name} if fmt == "pdf" else {}
    return {
        "status": "exported",
        "format": fmt,
        "output_path": artifact.name,
        "report_id": report_id,
        "report": entry or {"report_id": report_id},
        "artifacts": [artifact.name],
    }
