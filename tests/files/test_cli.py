"""run_playbook --param NAME=@PATH uploads the local file into the team's library (a new
version of its name) and launches with it; a missing or refused file is bad input (exit 2)."""

import pytest

from apps.executions.models import Execution
from apps.files.models import LibraryFile
from tests.executions.factories import playbook
from tests.executions.test_cli import command, outcome, refused
from tests.files.helpers import PARAMETERS, STEP, modl, sha, uploaded

pytestmark = pytest.mark.django_db
BOOK = "gateway/install.yaml"


@pytest.fixture
def book(team):
    return playbook(team, STEP, parameters=PARAMETERS, path=BOOK)


def test_at_path_uploads_the_file_and_the_run_uses_it(book, team, editor, operator, tmp_path):
    uploaded(team, editor)
    local = tmp_path / "demo.modl"
    local.write_bytes(modl("3.0.0"))

    command("run_playbook", BOOK, "-p", f"module_file=@{local}", "--user", operator.username)

    library_file = LibraryFile.objects.get(team=team, name="demo.modl")
    latest = library_file.latest
    assert (latest.number, latest.sha256, latest.uploaded_by) == (2, sha(modl("3.0.0")), operator)
    assert Execution.objects.get().parameters == {
        "module_file": {"file": library_file.pk, "version": 2}
    }


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("missing.modl", None, "--param module_file=@{path}: no such file here."),
        ("tool.exe", b"MZ", "--param module_file=@{path}: Files named '*.exe' are not accepted"),
    ],
)
def test_a_missing_or_refused_local_file_is_bad_input(
    book, operator, tmp_path, name, data, message
):
    path = tmp_path / name
    if data is not None:
        path.write_bytes(data)

    error = refused("run_playbook", BOOK, "-p", f"module_file=@{path}", "--user", operator.username)

    text, code = outcome(error)
    assert code == 2
    assert text.startswith(message.format(path=path))
    assert not Execution.objects.exists()
    assert not LibraryFile.objects.exists()
