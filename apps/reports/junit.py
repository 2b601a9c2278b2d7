"""A run as JUnit XML, for CI servers: a testsuite per run, a testcase per step.

A ``playbook.run`` step is a testcase of its playbook and its child playbook's steps a nested
testsuite (placed first in its parent, as the Jenkins/Ant JUnit schema orders them). A failed
step is a ``<failure>`` (message: the first line of its error, type: the step type), a step
that did not run is ``<skipped>``; each step's log lines are its ``<system-out>``, and the
artifacts of a suite's steps are its properties (``artifact:<step path>:<name>`` → a link).
"""

from collections.abc import Callable
from xml.etree.ElementTree import Element, SubElement, tostring

from apps.executions.models import Artifact, StepStatus
from apps.reports.run_report import RunReport, StepEntry

NOT_RUN = (StepStatus.SKIPPED, StepStatus.CANCELLED, StepStatus.PENDING, StepStatus.RUNNING)
TIMESTAMP = "%Y-%m-%dT%H:%M:%S"


def junit_xml(report: RunReport, *, artifact_url: Callable[[Artifact], str]) -> bytes:
    execution = report.execution
    root = Element("testsuites", name=report.masker.mask_text(execution.playbook_name))
    root.append(junit_run_suite(report, artifact_url=artifact_url))
    junit_totals(root, [report], execution.started_at, execution.finished_at)
    return tostring(root, encoding="utf-8", xml_declaration=True)


def junit_run_suite(
    report: RunReport, *, artifact_url: Callable[[Artifact], str], name: str | None = None
) -> Element:
    """The run's testsuite (its properties first), named ``name`` or after its playbook."""
    execution = report.execution
    suite = _suite(report, report.steps, execution.playbook_name, artifact_url)
    if name is not None:
        suite.set("name", report.masker.mask_text(name))
    _properties(suite, _run_properties(report), prepend=True)
    return suite


def junit_totals(root: Element, reports: list[RunReport], start, end) -> None:
    """The counts and time of a ``testsuites`` holding these runs' suites."""
    root.set("tests", str(sum(1 for report in reports for _ in report.walk())))
    root.set("failures", str(sum(report.failed for report in reports)))
    root.set("errors", "0")
    root.set("time", _seconds(start, end))


def _suite(report: RunReport, entries: list[StepEntry], name: str, artifact_url) -> Element:
    mask = report.masker.mask_text
    suite = Element("testsuite", name=mask(name))
    for entry in entries:
        if entry.children:
            suite.append(_suite(report, entry.children, entry.child_playbook, artifact_url))
    links = [
        (f"artifact:{entry.row.path}:{artifact.name}", artifact_url(artifact))
        for entry in entries
        for artifact in entry.artifacts
    ]
    _properties(suite, links)
    for entry in entries:
        suite.append(_testcase(report, entry, name))
    started = [e.row.started_at for e in entries if e.row.started_at]
    finished = [e.row.finished_at for e in entries if e.row.finished_at]
    suite.set("tests", str(len(entries)))
    suite.set("failures", str(sum(e.row.status == StepStatus.FAILED for e in entries)))
    suite.set("errors", "0")
    suite.set("skipped", str(sum(e.row.status in NOT_RUN for e in entries)))
    suite.set("time", _seconds(min(started, default=None), max(finished, default=None)))
    if started:
        suite.set("timestamp", min(started).strftime(TIMESTAMP))
    return suite


def _testcase(report: RunReport, entry: StepEntry, playbook: str) -> Element:
    mask, row = report.masker.mask_text, entry.row
    case = Element(
        "testcase",
        name=mask(f"{row.path} {entry.label}"),
        classname=mask(f"{playbook}.{row.step_id}"),
        time=_seconds(row.started_at, row.finished_at),
    )
    if row.status == StepStatus.FAILED:
        error = mask(row.error) or "Step failed."
        failure = SubElement(case, "failure", message=error.splitlines()[0], type=row.type)
        failure.text = error
    elif row.status in NOT_RUN:
        reason = mask(row.error) or f"Step {row.status}."
        SubElement(case, "skipped", message=reason.splitlines()[0])
    if entry.log:
        SubElement(case, "system-out").text = "\n".join(entry.log)
    return case


def _run_properties(report: RunReport) -> list[tuple[str, str]]:
    execution = report.execution
    pairs = [
        ("execution.id", str(execution.pk)),
        ("execution.status", execution.status),
        ("execution.reason", execution.status_reason),
        ("playbook.revision", str(execution.playbook_version.revision)),
        ("gateway", execution.gateway.name if execution.gateway else ""),
        ("requested_by", execution.requested_by.username if execution.requested_by else ""),
    ]
    params = report.masker.mask(execution.parameters or {})
    pairs += [(f"parameter:{name}", str(value)) for name, value in sorted(params.items())]
    return [(name, report.masker.mask_text(value)) for name, value in pairs]


def _properties(suite: Element, pairs: list[tuple[str, str]], *, prepend: bool = False) -> None:
    if not pairs:
        return
    existing = suite.find("properties")
    if existing is None:
        existing = Element("properties")
        index = len(suite.findall("testsuite"))
        suite.insert(index, existing)
    items = [Element("property", name=name, value=value) for name, value in pairs]
    if prepend:
        existing[:0] = items
    else:
        existing.extend(items)


def _seconds(start, end) -> str:
    if start is None or end is None:
        return "0.000"
    return f"{max(0.0, (end - start).total_seconds()):.3f}"
