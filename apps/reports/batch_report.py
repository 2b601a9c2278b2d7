"""A batch's reports: JUnit XML with one testsuite per gateway (its last run, as the run's own
report shows it) and the JSON summary (the API's batch detail)."""

import json
from xml.etree.ElementTree import Element, tostring

from apps.executions import batch_selectors
from apps.executions.batch_api import BatchDetailSerializer, batch_with_rows
from apps.executions.models import Batch
from apps.reports.junit import junit_run_suite, junit_totals
from apps.reports.run_report import api_artifact_url, run_report_load


def batch_junit_xml(batch: Batch) -> bytes:
    """``<testsuites>`` named after the playbook, a ``<testsuite>`` "<playbook> @ <gateway>"
    per gateway; artifact links are API paths."""
    rows = batch_selectors.batch_rows(batch)
    root = Element("testsuites", name=f"{batch.playbook_name} (batch {batch.pk})")
    reports = [run_report_load(row.run) for row in rows]
    for row, report in zip(rows, reports, strict=True):
        name = f"{batch.playbook_name} @ {row.gateway}"
        root.append(junit_run_suite(report, artifact_url=api_artifact_url, name=name))
    junit_totals(root, reports, batch.created_at, batch.finished_at)
    return tostring(root, encoding="utf-8", xml_declaration=True)


def batch_summary_json(batch: Batch) -> str:
    return json.dumps(BatchDetailSerializer(batch_with_rows(batch)).data, indent=2, default=str)
