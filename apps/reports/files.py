"""A finished run's reports written to files (``run_playbook --follow --junit/--html``)."""

from pathlib import Path

from apps.core.errors import ApplicationError
from apps.executions.models import Execution
from apps.reports.html_report import html_report
from apps.reports.junit import junit_xml
from apps.reports.run_report import api_artifact_url, run_report_load


class ReportFileError(ApplicationError):
    pass


def report_files_write(
    execution: Execution, *, junit: str | None = None, html: str | None = None
) -> list[Path]:
    """Write the JUnit XML and/or HTML report of the run; the paths written. Artifact links in
    the JUnit file are API paths (``/api/v1/executions/<id>/artifacts/<n>/``)."""
    if not junit and not html:
        return []
    report = run_report_load(execution)
    contents = []
    if junit:
        contents.append((Path(junit), junit_xml(report, artifact_url=api_artifact_url)))
    if html:
        contents.append((Path(html), html_report(report).encode()))
    return [report_write(path, content) for path, content in contents]


def report_write(path: str | Path, content: bytes) -> Path:
    """Write one report file; a clear ``ReportFileError`` when it cannot be written."""
    path = Path(path)
    try:
        path.write_bytes(content)
    except OSError as exc:
        raise ReportFileError(
            f"Could not write the report {path}: {exc.strerror}. Choose a path in a "
            "folder that exists and that this user may write to."
        ) from None
    return path
