"""A file parameter names a library file as {"file": id or name}: the launch pins the version
(the latest by default), refuses unknown files and other teams' files with a specific error,
and the worker copies the pinned version into the run's folder, checked by its sha256."""

import pytest

from apps.executions.parameters import ParameterError
from apps.executions.services.launch import execution_start
from apps.files.fetch import LibraryInputError, library_inputs_fetch
from apps.files.services import file_delete
from tests.executions.factories import playbook
from tests.executions.fixtures import InProcessRun
from tests.files.helpers import PARAMETERS, STEP, modl, uploaded

pytestmark = pytest.mark.django_db

DEFINITIONS = [{"name": "module_file", "type": "file"}]


@pytest.fixture
def installer(team):
    return playbook(team, STEP, parameters=PARAMETERS)


def test_a_library_file_is_pinned_to_its_latest_version_at_launch(
    team, editor, operator, installer
):
    first = uploaded(team, editor)
    uploaded(team, editor, data=modl("1.1.0"))

    by_id = execution_start(
        installer, actor=operator, parameters={"module_file": {"file": first.file_id}}
    )
    by_name = execution_start(
        installer, actor=operator, parameters={"module_file": {"file": "demo.modl", "version": 1}}
    )

    assert by_id.parameters == {"module_file": {"file": first.file_id, "version": 2}}
    assert by_name.parameters == {"module_file": {"file": first.file_id, "version": 1}}


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ({"file": 999999}, "'module_file': no library file 999999"),
        ({"file": "missing.modl"}, "'module_file': no library file named 'missing.modl' in team"),
        ({"file": "demo.modl", "version": 7}, "has no version 7 (the latest is 1)"),
        ({"file": "demo.modl", "path": "/etc"}, "must name a library file as"),
        ({"file": True}, "must name a library file by its id or name"),
        ({"file": 2**64}, "must name a library file by its id or name"),
        ({"file": "demo.modl", "version": 0}, "'version' must be a version number"),
    ],
)
def test_a_bad_library_reference_is_refused_and_nothing_is_created(
    team, editor, operator, installer, value, problem
):
    uploaded(team, editor)

    with pytest.raises(ParameterError) as refused:
        execution_start(installer, actor=operator, parameters={"module_file": value})

    assert any(problem in text for text in refused.value.problems), refused.value.problems
    assert not installer.executions.exists()


def test_another_teams_file_is_refused_by_name(team, other_team, operator, installer, outsider):
    outsider.groups.add(*operator.groups.all())
    theirs = uploaded(other_team, outsider)

    with pytest.raises(
        ParameterError, match=f"library file {theirs.file_id} belongs to another team"
    ):
        execution_start(
            installer, actor=operator, parameters={"module_file": {"file": theirs.file_id}}
        )


def test_the_worker_copies_the_pinned_version_into_the_run_folder(
    team, editor, operator, installer, tmp_path
):
    pinned = uploaded(team, editor)
    uploaded(team, editor, data=modl("2.0.0"))
    execution = execution_start(
        installer,
        actor=operator,
        parameters={"module_file": {"file": pinned.file_id, "version": 1}},
    )
    logged = []

    values = library_inputs_fetch(
        execution,
        DEFINITIONS,
        dict(execution.parameters),
        tmp_path,
        lambda *line: logged.append(line),
    )

    assert values == {"module_file": "inputs/module_file/demo.modl"}
    assert (tmp_path / "inputs/module_file/demo.modl").read_bytes() == modl()
    assert logged == [
        (
            "info",
            f"Library file 'demo.modl' version 1 (sha256 {pinned.sha256}) fetched into the run "
            "folder as inputs/module_file/demo.modl.",
        )
    ]


def test_content_changed_in_the_store_fails_the_check(
    team, editor, operator, installer, tmp_path, artifacts_here
):
    pinned = uploaded(team, editor)
    execution = execution_start(
        installer, actor=operator, parameters={"module_file": {"file": pinned.file_id}}
    )
    (artifacts_here / "files" / str(team.pk) / pinned.sha256).write_bytes(b"PK tampered")

    with pytest.raises(LibraryInputError, match="has sha256 .*, not the uploaded"):
        library_inputs_fetch(execution, DEFINITIONS, dict(execution.parameters), tmp_path, print)

    assert not (tmp_path / "inputs/module_file/demo.modl").exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_file_deleted_after_the_launch_fails_the_run_with_the_reason(
    team, editor, operator, installer
):
    pinned = uploaded(team, editor)
    execution = execution_start(
        installer, actor=operator, parameters={"module_file": {"file": pinned.file_id}}
    )
    file_delete(pinned.file, actor=editor)
    finished = InProcessRun(execution).wait()

    assert finished.status == "failed"
    assert "'module_file': library file" in finished.status_reason
    assert "deleted after the run was launched" in finished.status_reason
