"""fat.generate_report: one self-contained HTML report from manifest results.

Screenshots named in the results are read from the run's artifacts and embedded as data URIs,
so the file opens anywhere (and prints to PDF) without fetching anything.
"""

import base64
import uuid
from datetime import UTC, datetime
from pathlib import PurePosixPath

from apps.steps.files import run_file
from apps.steps.params import parse, require
from apps.steps.plugins.fat.template import render_report

IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}
COUNTS = ("total", "passed", "failed", "skipped")


def summarize(test_results: dict) -> tuple[list[dict], dict]:
    """The results and their counts (from the results when there are any)."""
    require(
        "results" in test_results or "total" in test_results,
        "'test_results' must be the output of perspective.execute_test_manifest "
        "(e.g. {{ step.tests }}): it has neither 'results' nor 'total'",
    )
    results = test_results.get("results") or []
    require(
        isinstance(results, list) and all(isinstance(item, dict) for item in results),
        "'test_results.results' must be a list of test result mappings",
    )
    if results:
        statuses = [str(item.get("status")) for item in results]
        passed, skipped = statuses.count("passed"), statuses.count("skipped")
        summary = {"total": len(results), "passed": passed, "skipped": skipped}
        summary["failed"] = len(results) - passed - skipped
    else:
        summary = {key: _count(test_results.get(key)) for key in COUNTS}
    total = summary["total"]
    summary["pass_rate"] = round(100 * summary["passed"] / total, 1) if total else 0.0
    return results, summary


def _count(value) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


def embedded_screenshots(context, results: list[dict]) -> dict[int, str]:
    """Result number -> data URI of its screenshot artifact (missing ones are logged)."""
    shots = {}
    for number, result in enumerate(results, start=1):
        context.check()
        name = result.get("screenshot")
        if not name:
            continue
        plain = PurePosixPath(str(name)).name == str(name) and not str(name).startswith(".")
        path = run_file(context, str(name)) if plain else None
        kind = IMAGE_TYPES.get(PurePosixPath(str(name)).suffix.lower())
        if not (path and kind):
            context.log(f"Screenshot {name!r} of test {number} is not an image of this run")
            continue
        shots[number] = f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode()}"
    return shots


def run(context, params: dict) -> dict:
    values = parse("fat.generate_report", params, context.log)
    results, summary = summarize(values["test_results"])
    visual = values.get("visual_analysis") or None
    issues = visual.get("issues") if visual and isinstance(visual.get("issues"), list) else []
    visual_issues = _count(visual.get("issues_count", len(issues))) if visual else 0
    started = datetime.now(UTC)
    meta = {"test_date": started.date().isoformat(), **(values.get("metadata") or {})}
    project = meta.get("project_name")
    title = f"FAT report: {project}" if project else "FAT report"
    report_id = f"fat_report_{started:%Y%m%d_%H%M%S}_{uuid.uuid4().hex[:6]}"
    meta.update(report_id=report_id, generated_at=started.isoformat(timespec="seconds"))
    shots = embedded_screenshots(context, results)
    page = render_report(title, meta, summary, results, shots, visual)
    artifact = context.save_artifact(
        "report", f"{report_id}.html", data=page, content_type="text/html"
    )
    report_id = PurePosixPath(artifact.name).stem  # the run may have renamed a duplicate
    context.log(
        f"FAT report {artifact.name}: {summary['passed']} of {summary['total']} passed", "info"
    )
    return {
        "status": "generated",
        "report_id": report_id,
        "report_path": artifact.name,
        "format": values["format"],
        "total_tests": summary["total"],
        "passed_tests": summary["passed"],
        "failed_tests": summary["failed"],
        "skipped_tests": summary["skipped"],
        "pass_rate": summary["pass_rate"],
        "visual_issues": visual_issues,
        "report": {
            "report_id": report_id,
            "title": title,
            **{key: summary[key] for key in COUNTS},
            "html": artifact.name,
        },
        "artifacts": [artifact.name],
    }
