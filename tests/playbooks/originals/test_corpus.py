"""Playbooks written in the originals' style import as a set in lenient mode and run green.

The corpus under ``playbooks/`` uses every pattern the migration rewrites: templates in Python
scripts (under ``code:``), f-string braces, navigate timeouts in seconds, ``value: null`` on
verify_attribute, plain password parameters, ignored keys, ``verified: true`` and nested sets
whose child has the same path as a shipped built-in.
"""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from apps.playbooks.models import Playbook
from apps.playbooks.services import playbook_library_sync, shipped_library_root
from apps.playbooks.services.imports import playbook_import_set
from apps.playbooks.services.sets import files_from_paths
from apps.simulator.config import SimConfig
from tests.simulator.conftest import LiveSimulator

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
CORPUS = Path(__file__).parent / "playbooks"
NAMESPACE = "imported/originals/"


@pytest.fixture(scope="module")
def simulator():
    served = LiveSimulator(SimConfig()).start()
    yield served
    served.stop()


@pytest.fixture
def imported(team, editor, settings, tmp_path):
    settings.ARTIFACTS_ROOT = tmp_path
    settings.BROWSER_TRACE = False
    playbook_library_sync(root=shipped_library_root(), teams=[team])
    return playbook_import_set(
        team=team, actor=editor, files=files_from_paths([CORPUS]), set_name="originals",
        lenient=True,
    )  # fmt: skip


def _messages(result, file: str) -> list[str]:
    outcome = next(o for o in result.files if o.file == file)
    return [w["message"] for w in outcome.warnings]


def test_the_whole_corpus_imports_in_lenient_mode_keeping_its_paths(imported):
    assert [(o.path, o.result) for o in imported.files] == [
        (NAMESPACE + "designer/launch_designer_linux.yaml", "imported"),
        (NAMESPACE + "gateway/gateway_check.yaml", "imported"),
        (NAMESPACE + "gateway/gateway_login.yaml", "imported"),
        (NAMESPACE + "perspective/test_suite_master.yaml", "imported"),
        (NAMESPACE + "perspective/test_verification_examples.yaml", "imported"),
    ]
    check = _messages(imported, "gateway/gateway_check.yaml")
    assert (
        "'gateway/gateway_login.yaml' is this set's file: it now reads "
        f"'{NAMESPACE}gateway/gateway_login.yaml' (not the team's playbook "
        "'gateway/gateway_login.yaml')"
    ) in check
    assert "'value: null' (attribute absent) is now 'absent: true'" in check
    assert "'code' renamed to 'script'" in check
    login = _messages(imported, "gateway/gateway_login.yaml")
    assert "'timeout: 30' read as seconds: now 'timeout: 30000' (ms)" in login
    assert any(m.startswith("Parameter 'password' looks like a secret") for m in login)
    child = Playbook.objects.get(path=NAMESPACE + "gateway/gateway_login.yaml")
    assert child.verified is True


@override_settings(ALLOW_PYTHON_STEPS=True)
def test_the_gateway_set_runs_green_against_the_simulator(
    imported, simulator, run_in_process, team
):
    parent = Playbook.objects.get(team=team, path=NAMESPACE + "gateway/gateway_check.yaml")
    parameters = {"gateway_url": simulator.url, "password": "password"}

    execution = run_in_process(parent, parameters=parameters).wait(timeout=180)

    failed = [(s.step_id, s.error) for s in execution.steps.exclude(status="completed")]
    assert (execution.status, failed) == ("completed", []), execution.status_reason
    rows = {row.step_id: row for row in execution.steps.all()}
    assert rows["report"].outputs["MATCH"] == "True"
    assert rows["report"].outputs["REPORT"] == f"{{ 'admin': 5 }} at {simulator.url}"
    assert rows["log"].outputs["logged"] == "match=True"


@override_settings(ALLOW_PYTHON_STEPS=True)
def test_the_perspective_suite_runs_green_against_the_simulator(
    imported, simulator, run_in_process, team
):
    suite = Playbook.objects.get(team=team, path=NAMESPACE + "perspective/test_suite_master.yaml")

    execution = run_in_process(suite, parameters={"gateway_url": simulator.url}).wait(180)

    failed = [(s.step_id, s.error) for s in execution.steps.exclude(status="completed")]
    assert (execution.status, failed) == ("completed", []), execution.status_reason
    assert execution.steps.get(step_id="master").outputs["SUITE"] == "completed"


def test_the_command_prints_a_table_and_its_exit_code_says_what_failed(team, capsys):
    call_command("import_playbooks", str(CORPUS), "--lenient", "--dry-run", "--team", team.name)
    table = capsys.readouterr().out
    with pytest.raises(CommandError) as strict:
        call_command("import_playbooks", str(CORPUS), "--dry-run", "--team", team.name)

    assert table.splitlines()[0].split() == ["FILE", "RESULT", "WARNINGS", "PATH"]
    assert "gateway/gateway_check.yaml" in table
    assert " valid " in table
    assert strict.value.returncode == 1
    assert str(strict.value) == "5 of 5 file(s) did not import."
    assert not Playbook.objects.filter(path__startswith="imported/").exists()
