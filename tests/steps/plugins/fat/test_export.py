"""fat.export_report: a real PDF printed by Chromium, or an HTML copy."""

import pytest

from apps.executions.engine.control import RunControl, StepInterrupted
from apps.steps.errors import StepError
from apps.steps.plugins.fat import export
from tests.steps.plugins.browser.harness import interrupt_later
from tests.steps.plugins.perspective.helpers import look_at


@pytest.fixture
def generated(tested):
    """``(run, report_id)`` of a report generated from a manifest run."""
    run, results = tested
    outputs = run.step("fat.generate_report", test_results=results, metadata={"tester": "Ada"})
    run.artifacts.clear()
    return run, outputs["report_id"]


def test_the_default_export_is_a_real_pdf(generated):
    run, report_id = generated

    outputs = run.step("fat.export_report", report_id=report_id)

    pdf = run.kinds("report")[0]
    data = pdf.path.read_bytes()
    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")
    assert len(data) > 20_000  # the two embedded screenshots are printed too
    assert (pdf.name, pdf.content_type) == (f"{report_id}.pdf", "application/pdf")
    assert outputs == {
        "status": "exported",
        "format": "pdf",
        "output_path": pdf.name,
        "report_id": report_id,
        "report": {"report_id": report_id, "pdf": pdf.name},
        "artifacts": [pdf.name],
    }
    assert look_at(run, lambda page: page.url).endswith("/SimDemo/")  # the run's tab stays


def test_an_html_export_is_a_copy_under_the_chosen_name(generated):
    run, report_id = generated
    original = (run.folder / f"{report_id}.html").read_bytes()

    outputs = run.step("fat.export_report", report_id=report_id, format="html", output_path="fat")

    copy = run.kinds("report")[0]
    assert copy.path.read_bytes() == original
    assert (outputs["output_path"], copy.content_type) == ("fat.html", "text/html")
    assert outputs["report"] == {"report_id": report_id}


def test_a_pdf_keeps_a_name_that_already_ends_in_pdf(generated):
    run, report_id = generated

    outputs = run.step("fat.export_report", report_id=report_id, output_path="FAT.PDF")

    assert outputs["output_path"] == "FAT.PDF"


def test_an_unknown_report_fails_without_retry(own_run):
    with pytest.raises(StepError) as failure:
        own_run.step("fat.export_report", report_id="fat_report_nope")

    assert str(failure.value) == (
        "This run has no report 'fat_report_nope': generate it first with fat.generate_report"
    )
    assert failure.value.retryable is False


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "fat.export_report needs 'report_id'"),
        ({"report_id": "../../etc/passwd"}, "'report_id' must be the id of a generated report"),
        ({"report_id": ".hidden"}, "'report_id' must be the id of a generated report"),
        ({"report_id": "r", "format": "docx"}, "'format' must be one of html, pdf, not 'docx'"),
        ({"report_id": "r", "output_path": "/srv/x.pdf"}, "'output_path' must be a relative name"),
    ],
)
def test_bad_parameters_are_rejected(own_run, params, message):
    with pytest.raises(StepError) as failure:
        own_run.step("fat.export_report", **params)

    assert str(failure.value).startswith(message)
    assert failure.value.retryable is False


def test_a_print_that_cannot_finish_fails_with_the_reason(generated, monkeypatch):
    run, report_id = generated
    monkeypatch.setattr(export, "PDF_MS", 1)

    with pytest.raises(StepError) as failure:
        run.step("fat.export_report", report_id=report_id)

    assert str(failure.value).startswith("Could not print the report to PDF: Timeout 1ms exceeded")
    assert run.artifacts == []


def test_cancel_and_the_step_timeout_stop_the_export(generated):
    run, report_id = generated
    control = RunControl()
    control.cancel()

    with pytest.raises(StepInterrupted) as cancelled:
        run.step("fat.export_report", report_id=report_id, control=control)
    with pytest.raises(StepInterrupted) as timed_out:
        run.step("fat.export_report", report_id=report_id, step_timeout=1e-9)

    assert (cancelled.value.reason, timed_out.value.reason) == ("cancel", "timeout")
    assert run.artifacts == []


def test_cancel_stops_a_pdf_print_in_progress(generated):
    run, report_id = generated
    shot = next(p.name for p in run.folder.iterdir() if p.suffix == ".png")
    results = [
        {"component_id": f"c{n}", "status": "passed", "screenshot": shot} for n in range(400)
    ]
    big = run.step("fat.generate_report", test_results={"results": results})["report_id"]
    control = RunControl()
    interrupt_later(control, 0.5)

    with pytest.raises(StepInterrupted) as interruption:
        run.step("fat.export_report", report_id=big, control=control)

    assert interruption.value.reason == "cancel"
    assert run.kinds("report")[-1].name == f"{big}.html"  # no PDF was stored
    assert run.step("fat.export_report", report_id=report_id)["format"] == "pdf"  # new tab
