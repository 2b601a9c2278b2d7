"""Recording FAT reports: called by the engine after a ``fat.*`` step completed.

Step handlers never touch the ORM. ``fat.generate_report`` and ``fat.export_report`` put a
``report`` entry in their outputs (docs/perspective.md)::

    {"report_id": "...", "title": "...", "total": 5, "passed": 4, "failed": 1, "skipped": 0,
     "html": "<artifact name>"}            # fat.generate_report
    {"report_id": "...", "pdf": "<artifact name>"}   # fat.export_report, format pdf

``report_record`` turns that into one ``Report`` row per (run, report_id), linked to the
run's artifacts by name.
"""

from typing import Any

from django.db import transaction

from apps.executions.models import Artifact
from apps.reports.models import Report

COUNTS = ("total", "passed", "failed", "skipped")
FILES = {"html": "html_artifact", "pdf": "pdf_artifact"}


def report_record(execution_id, step_path: str, outputs: dict[str, Any]) -> Report | None:
    """Create or update the report row described by ``outputs["report"]``; None without one."""
    entry = outputs.get("report") if isinstance(outputs, dict) else None
    if not isinstance(entry, dict) or not entry.get("report_id"):
        return None
    changes: dict[str, Any] = {}
    if entry.get("title"):
        changes["title"] = str(entry["title"])[:200]
    for key in COUNTS:
        if isinstance(entry.get(key), int):
            changes[key] = max(0, entry[key])
    for key, field in FILES.items():
        if entry.get(key):
            changes[field] = _artifact(execution_id, str(entry[key]))
    with transaction.atomic():
        report, created = Report.objects.select_for_update().get_or_create(
            execution_id=execution_id,
            report_id=str(entry["report_id"])[:120],
            defaults={"step_path": step_path, "title": "FAT report", **changes},
        )
        if not created and changes:
            for field, value in changes.items():
                setattr(report, field, value)
            report.save(update_fields=list(changes))
    return report


def _artifact(execution_id, name: str) -> Artifact | None:
    """The run's artifact called ``name`` (the newest, should a name repeat)."""
    return Artifact.objects.filter(execution_id=execution_id, name=name).order_by("-id").first()
