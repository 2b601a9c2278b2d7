"""A run as one HTML file that opens offline: every step, its duration, error, log and
screenshots (inline as ``data:`` URIs), the run's parameters (secrets masked) and its log.

The page fetches nothing: no script, no stylesheet or image from elsewhere, and its own
Content-Security-Policy allows only inline styles and ``data:`` images.
"""

import base64

from django.template.loader import render_to_string
from django.utils import timezone

from apps.executions.artifact_files import artifact_head
from apps.executions.models import Artifact
from apps.reports.run_report import RunReport, StepEntry

# A bigger picture stays in the artifacts zip: the report would grow past what a mail takes.
INLINE_IMAGE_MAX_BYTES = 5_000_000


def image_data_uri(artifact: Artifact) -> str:
    """The artifact as a ``data:`` URI when it is an image small enough to inline, else ''."""
    if not artifact.content_type.startswith("image/") or artifact.size > INLINE_IMAGE_MAX_BYTES:
        return ""
    data = artifact_head(artifact, INLINE_IMAGE_MAX_BYTES + 1)
    if not data or len(data) > INLINE_IMAGE_MAX_BYTES:
        return ""
    return f"data:{artifact.content_type};base64,{base64.b64encode(data).decode()}"


def run_context(report: RunReport) -> dict:
    """What a report page shows of one run, every text masked."""
    mask, execution = report.masker.mask, report.execution
    return {
        "execution": execution,
        "playbook_name": mask(execution.playbook_name),
        "reason": mask(execution.status_reason),
        "parameters": sorted(mask(execution.parameters or {}).items()),
        "steps": [_step(entry, mask) for entry in report.walk()],
        "log": "\n".join(report.log),
        "failed": report.failed,
    }


def html_report(report: RunReport) -> str:
    context = {**run_context(report), "generated_at": timezone.now()}
    return render_to_string("reports/run_report.html", context)


def _step(entry: StepEntry, mask) -> dict:
    row = entry.row
    return {
        "path": row.path,
        "depth": row.path.count("."),
        "label": mask(entry.label),
        "type": row.type,
        "status": row.status,
        "attempts": row.attempts,
        "duration": row.duration_seconds,
        "error": mask(row.error),
        "log": "\n".join(entry.log),
        "log_lines": len(entry.log),
        "images": [
            {"name": mask(artifact.name), "src": src}
            for artifact in entry.artifacts
            if (src := image_data_uri(artifact))
        ],
        "files": [mask(artifact.name) for artifact in entry.artifacts],
    }
