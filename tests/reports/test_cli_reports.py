"""run_playbook --follow --junit/--html: the reports of the followed run, written as it ends."""

import io
from pathlib import Path

import pytest
import xmlschema
from django.core.management import call_command
from django.core.management.base import CommandError

from apps.executions.models import Execution
from apps.reports.files import ReportFileError, report_files_write
from tests.executions.factories import playbook

SCHEMA = xmlschema.XMLSchema(Path(__file__).with_name("junit.xsd"))
STEPS = """
- {id: hello, name: Hello, type: utility.log, parameters: {message: hello}}
- {id: nap, name: Nap, type: utility.sleep, parameters: {seconds: "{{ parameter.nap }}"}}
"""
NAP = "- {name: nap, type: string, default: soon}\n"


def run_playbook(*args: str) -> tuple[str, CommandError | None]:
    out = io.StringIO()
    try:
        call_command("run_playbook", *args, stdout=out)
    except CommandError as exc:
        return out.getvalue(), exc
    return out.getvalue(), None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_followed_failing_run_writes_both_reports_and_exits_1(
    team, operator, celery_worker_running, tmp_path
):
    playbook(team, STEPS, parameters=NAP, path="gateway/nap.yaml")
    junit, html = tmp_path / "out.xml", tmp_path / "out.html"

    out, error = run_playbook(
        "gateway/nap.yaml", "--follow", "--user", operator.username,
        "--junit", str(junit), "--html", str(html),
    )  # fmt: skip

    execution = Execution.objects.get()
    assert (error.returncode, str(error)) == (1, f"Execution {execution.pk} ended failed.")
    assert f"Report written: {junit}\nReport written: {html}\n" in out
    SCHEMA.validate(str(junit))
    xml = junit.read_text()
    assert "<failure message=\"could not convert string to float: 'soon'\"" in xml
    assert 'type="utility.sleep"' in xml
    page = html.read_text()
    assert 'data-path="0" data-status="completed"' in page
    assert 'data-path="1" data-status="failed"' in page


@pytest.mark.django_db
def test_reports_without_follow_are_refused_before_anything_starts(team, operator):
    playbook(team, STEPS, parameters=NAP, path="gateway/nap.yaml")

    _, error = run_playbook("gateway/nap.yaml", "--junit", "out.xml", "--user", operator.username)

    assert error.returncode == 2
    assert "--junit and --html need --follow" in str(error)
    assert Execution.objects.count() == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_unwritable_report_path_says_what_to_do(team, operator, run_in_process, tmp_path):
    execution = run_in_process(playbook(team, STEPS, parameters=NAP)).wait()

    with pytest.raises(ReportFileError) as excinfo:
        report_files_write(execution, html=str(tmp_path / "missing" / "out.html"))

    assert "Choose a path in a folder that exists" in excinfo.value.message
    assert report_files_write(execution) == []
