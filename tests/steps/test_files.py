"""The rule for input files: the run's folder, allowed input folders, nothing through links."""

import pytest

from apps.steps.errors import StepError
from apps.steps.files import input_path

NO_OTHER = (
    "Files come from the run's own folder (a relative name, e.g. a file an earlier step "
    "downloaded); no other folder is allowed (WORKER_INPUT_DIRS, set by the administrator)"
)


@pytest.fixture
def run_folder(tmp_path):
    folder = tmp_path / "artifacts" / "run"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "a.bin").write_bytes(b"a")
    return folder


def refusal(value, run_folder, allowed=()) -> str:
    with pytest.raises(StepError) as failure:
        input_path(value, "file", run_folder, allowed)
    assert failure.value.retryable is False
    return str(failure.value)


def test_a_relative_name_is_a_file_of_the_run(run_folder):
    assert input_path(" sub/a.bin ", "file", run_folder) == (run_folder / "sub" / "a.bin").resolve()


def test_an_absolute_path_into_the_run_folder_is_accepted(run_folder):
    target = run_folder / "sub" / "a.bin"

    assert input_path(str(target), "file", run_folder) == target.resolve()


def test_a_link_into_an_allowed_folder_is_accepted(run_folder, tmp_path):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    (inputs / "m.modl").write_bytes(b"m")
    (run_folder / "m.modl").symlink_to(inputs / "m.modl")

    assert input_path("m.modl", "file", run_folder, (inputs,)) == (inputs / "m.modl").resolve()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "'file' is empty: give the file to use"),
        (None, "'file' is empty: give the file to use"),
        ("missing.bin", "'file': no file 'missing.bin' in this run's folder"),
        ("sub", "'file': no file 'sub' in this run's folder"),
        ("sub/../sub/a.bin", f"'file' must not contain '..' ('sub/../sub/a.bin'). {NO_OTHER}"),
    ],
)
def test_refusals(run_folder, value, message):
    assert refusal(value, run_folder) == message


def test_a_missing_file_of_an_allowed_folder(run_folder, tmp_path):
    allowed = (tmp_path / "inputs",)

    assert refusal(str(tmp_path / "inputs" / "x"), run_folder, allowed) == (
        f"'file': no file {str(tmp_path / 'inputs' / 'x')!r} on this worker"
    )


def test_a_neighbouring_folder_with_the_same_prefix_is_outside(run_folder, tmp_path):
    neighbour = tmp_path / "artifacts" / "run-2"
    neighbour.mkdir()
    (neighbour / "x").write_text("x")

    assert refusal(str(neighbour / "x"), run_folder).startswith("'file' is outside this run's")
