"""The Run dialog's file picker: the team's library files, picked into a run or a preset;
a file uploaded in place that the library refuses is shown on its parameter; Run again keeps
the pinned version."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.executions.models import Execution
from apps.executions.services.history import execution_rerun
from apps.executions.services.launch import execution_start
from apps.files.models import LibraryFile
from apps.playbooks.models import Preset
from tests.executions.factories import playbook
from tests.files.helpers import PARAMETERS, STEP, modl, uploaded

pytestmark = pytest.mark.django_db


@pytest.fixture
def book(team):
    return playbook(team, STEP, parameters=PARAMETERS)


def test_the_dialog_lists_only_the_teams_files(
    client, book, team, editor, operator, other_team, outsider
):
    mine = uploaded(team, editor)
    outsider.groups.add(*editor.groups.all())
    uploaded(other_team, outsider, name="theirs.modl")
    client.force_login(operator)

    dialog = client.get(f"/playbooks/{book.pk}/run/").content.decode()

    assert f'<option value="{mine.file_id}">demo.modl</option>' in dialog
    assert "theirs.modl" not in dialog


def test_a_picked_file_runs_and_is_kept_in_a_preset(client, book, team, editor, operator):
    chosen = uploaded(team, editor)
    uploaded(team, editor, name="other.zip", data=modl("9.0.0"))
    client.force_login(operator)
    picked = {"param-module_file-library": str(chosen.file_id)}

    saved = client.post(
        f"/playbooks/{book.pk}/run/", {"action": "save_as", "preset_name": "Demo", **picked}
    )
    preset = Preset.objects.get()
    reopened = client.get(f"/playbooks/{book.pk}/run/?preset={preset.pk}").content.decode()
    started = client.post(f"/playbooks/{book.pk}/run/", {"action": "run", **picked})

    assert saved.status_code == 200
    assert preset.values == {"module_file": {"file": chosen.file_id}}
    assert f'<option value="{chosen.file_id}" selected>demo.modl</option>' in reopened
    assert started.status_code == 302
    execution = Execution.objects.get()
    assert execution.parameters == {"module_file": {"file": chosen.file_id, "version": 1}}


def test_a_refused_upload_in_place_is_shown_on_its_parameter(client, book, operator):
    client.force_login(operator)

    answer = client.post(
        f"/playbooks/{book.pk}/run/",
        {"action": "run", "param-module_file-upload": SimpleUploadedFile("m.modl", b"nope")},
    )

    assert answer.status_code == 422
    assert "is not a zip archive" in answer.content.decode()
    assert not Execution.objects.exists()
    assert not LibraryFile.objects.exists()


def test_run_again_uses_the_pinned_version(book, team, editor, operator):
    first = uploaded(team, editor)
    execution = execution_start(
        book, actor=operator, parameters={"module_file": {"file": first.file_id}}
    )
    uploaded(team, editor, data=modl("2.0.0"))

    again = execution_rerun(execution, actor=operator)

    assert again.parameters == {"module_file": {"file": first.file_id, "version": 1}}
