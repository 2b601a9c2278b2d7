"""fat.generate_report: a self-contained HTML report stored as an artifact of the run."""

import re

import pytest

from apps.executions.engine.control import RunControl, StepInterrupted
from apps.steps.errors import StepError

VISUAL = {
    "issues_count": 1,
    "issues": ["row-button-1 is +9 px off the row"],
    "report": {"compliance": {"passed": 2, "failed": 1, "warnings": 0}},
}
METADATA = {"project_name": "SimDemo", "tester": "Ada <QA>", "client": "ACME"}


def external_references(page: str) -> list[str]:
    """Every src/href (and CSS url()) that is not a data URI or an in-page anchor."""
    refs = re.findall(r'(?:src|href)="([^"]*)"', page) + re.findall(r"url\(([^)]*)\)", page)
    return [ref for ref in refs if not ref.startswith(("data:", "#"))]


def test_the_report_embeds_its_screenshots_and_fetches_nothing(tested):
    run, results = tested

    outputs = run.step(
        "fat.generate_report", test_results=results, metadata=METADATA, visual_analysis=VISUAL
    )

    report = run.kinds("report")[0]
    page = report.path.read_text()
    assert outputs["report_path"] == report.name == f"{outputs['report_id']}.html"
    assert report.content_type == "text/html"
    assert re.fullmatch(r"fat_report_\d{8}_\d{6}_[0-9a-f]{6}", outputs["report_id"])
    assert external_references(page) == []
    assert page.count('src="data:image/png;base64,iVBOR') == 2
    assert '<a href="#shot-2">Screenshot 2</a>' in page
    assert 'id="shot-2"' in page
    assert "Ada &lt;QA&gt;" in page
    assert "ACME" in page
    assert "<title>FAT report: SimDemo" in page
    assert "Timed out after 200 ms waiting for &#x27;#missing&#x27;" in page
    assert "row-button-1 is +9 px off the row" in page
    assert "warnings: 0" in page
    assert {key: outputs[key] for key in outputs if key not in ("report_id", "report_path")} == {
        "status": "generated",
        "format": "html",
        "total_tests": 2,
        "passed_tests": 1,
        "failed_tests": 1,
        "skipped_tests": 0,
        "pass_rate": 50.0,
        "visual_issues": 1,
        "report": {
            "report_id": outputs["report_id"],
            "title": "FAT report: SimDemo",
            "total": 2,
            "passed": 1,
            "failed": 1,
            "skipped": 0,
            "html": report.name,
        },
        "artifacts": [report.name],
    }


def test_a_report_from_counts_only_needs_no_browser(own_run):
    outputs = own_run.step(
        "fat.generate_report",
        test_results='{"total": 3, "passed": 2, "failed": 1, "skipped": "x"}',
    )

    page = own_run.kinds("report")[0].path.read_text()
    assert (outputs["total_tests"], outputs["skipped_tests"], outputs["pass_rate"]) == (3, 0, 66.7)
    assert outputs["visual_issues"] == 0
    assert "No tests were run." in page
    assert "No visual analysis was supplied." in page
    assert "<title>FAT report</title>" in page
    assert "No screenshots." in page
    assert own_run.resources.peek("browser") is None


def test_skipped_and_unknown_statuses_are_counted(own_run):
    results = {
        "results": [
            {"component_id": "a", "status": "passed"},
            {"component_id": "b", "status": "skipped"},
            {"component_id": "c", "status": "error"},
        ]
    }

    outputs = own_run.step("fat.generate_report", test_results=results)

    assert outputs["report"] | {"report_id": None, "title": None, "html": None} == {
        "report_id": None,
        "title": None,
        "html": None,
        "total": 3,
        "passed": 1,
        "failed": 1,
        "skipped": 1,
    }


@pytest.mark.parametrize(
    "screenshot", ["gone.png", "../outside.png", ".hidden.png", "notes.txt", "sub/dir.png"]
)
def test_a_screenshot_that_is_not_an_image_of_the_run_is_left_out(own_run, screenshot):
    (own_run.folder / "notes.txt").write_text("not an image")
    (own_run.folder / ".hidden.png").write_bytes(b"\x89PNG")
    results = {"results": [{"component_id": "x", "status": "passed", "screenshot": screenshot}]}

    own_run.step("fat.generate_report", test_results=results)

    page = own_run.kinds("report")[0].path.read_text()
    assert "data:image" not in page
    assert ("info", f"Screenshot {screenshot!r} of test 1 is not an image of this run") in (
        own_run.logs
    )


def test_a_jpeg_screenshot_is_embedded_with_its_type(own_run):
    (own_run.folder / "shot.jpg").write_bytes(b"\xff\xd8\xff")
    results = {"results": [{"component_id": "x", "status": "passed", "screenshot": "shot.jpg"}]}

    own_run.step("fat.generate_report", test_results=results)

    assert 'src="data:image/jpeg;base64,/9j/"' in own_run.kinds("report")[0].path.read_text()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "fat.generate_report needs 'test_results'"),
        ({"test_results": "passed"}, "'test_results' must be a mapping written as JSON"),
        ({"test_results": {"status": "passed"}},
         "'test_results' must be the output of perspective.execute_test_manifest"),
        ({"test_results": {"results": "all"}}, "'test_results.results' must be a list"),
        ({"test_results": {"results": [1]}}, "'test_results.results' must be a list"),
        ({"test_results": {"total": 0}, "format": "pdf"}, "'format' must be one of html"),
        ({"test_results": {"total": 0}, "metadata": ["x"]}, "'metadata' must be a mapping"),
        ({"test_results": {"total": 0}, "colour": "x"},
         "fat.generate_report does not take colour"),
    ],
)  # fmt: skip
def test_bad_parameters_are_rejected(own_run, params, message):
    with pytest.raises(StepError) as failure:
        own_run.step("fat.generate_report", **params)

    assert str(failure.value).startswith(message)
    assert failure.value.retryable is False
    assert own_run.artifacts == []


def test_cancel_and_the_step_timeout_stop_the_report(own_run):
    results = {"results": [{"component_id": "x", "status": "passed", "screenshot": "a.png"}]}
    control = RunControl()
    control.cancel()

    with pytest.raises(StepInterrupted) as cancelled:
        own_run.step("fat.generate_report", test_results=results, control=control)
    with pytest.raises(StepInterrupted) as timed_out:
        own_run.step("fat.generate_report", test_results=results, step_timeout=1e-9)

    assert (cancelled.value.reason, timed_out.value.reason) == ("cancel", "timeout")
    assert own_run.artifacts == []
