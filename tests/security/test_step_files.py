"""File parameters reach only the run's own folder (and folders an administrator allows).

The data folder (``secrets.env``, ``db.sqlite3``) holds a unique secret and the run folders
live inside it, as on a default install. Runs go through the engine against a simulated gateway
that records every request, so "refused before the step starts" means: nothing was sent.
"""

import pytest
from rest_framework.test import APIClient

from apps.executions.services.launch import execution_start
from apps.playbooks.models import Playbook
from apps.simulator.config import SimConfig
from tests.credentials.factories import CredentialFactory
from tests.executions.factories import playbook
from tests.executions.fixtures import InProcessRun
from tests.gateways.client.sim import FAST, Sim
from tests.security.hostile_site import HostileSite, make_data_folder

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("team_credential"),
]

WHERE = (
    "Files come from the run's own folder (a relative name, e.g. a file an earlier step "
    "downloaded); {extra} (WORKER_INPUT_DIRS, set by the administrator)"
)
NO_OTHER = WHERE.format(extra="no other folder is allowed")
SEND = """
- id: send
  name: Send a file
  type: gateway.api_request
  parameters:
    method: POST
    path: files/echo
    body_file: "{{ parameter.file }}"
    expected_status: [200, 404, 405]
"""
FETCH = """
- id: fetch
  name: Fetch the gateway info
  type: gateway.api_request
  parameters: {path: gateway-info, save_as: info.json}
"""
PARAMETERS = """
- name: gateway_url
  type: string
- name: gw
  type: credential
- name: file
  type: file
"""


@pytest.fixture
def data(tmp_path, settings):
    folder = make_data_folder(tmp_path / "data")
    settings.ARTIFACTS_ROOT = folder.artifacts
    settings.WORKER_INPUT_DIRS = ()
    return folder


@pytest.fixture
def gateway():
    """A simulator that records ``(method, path, body)`` of every request it gets."""
    simulator = Sim(SimConfig(control=True, **FAST))
    simulator.received = []
    app = simulator.server.config.app

    async def recording(scope, receive, send):
        if scope["type"] != "http":
            return await app(scope, receive, send)
        messages = [await receive()]
        while messages[-1].get("more_body"):
            messages.append(await receive())
        body = b"".join(message.get("body", b"") for message in messages)
        simulator.received.append((scope["method"], scope["path"], body))
        replay = iter(messages)

        async def replayed():
            return next(replay, None) or await receive()

        return await app(scope, replayed, send)

    simulator.server.config.app = recording
    yield simulator.start()
    simulator.stop()


@pytest.fixture
def team_credential(team):
    return CredentialFactory(team=team, name="gw-admin", username="admin", secret="password")  # noqa: S106


def launch(team, operator, gateway, steps: str, file: str, before=None):
    """Run ``steps`` with ``file`` as the ``file`` parameter; ``before(execution)`` first."""
    book = playbook(team, steps, parameters=PARAMETERS)
    parameters = {"gateway_url": gateway.url, "gw": "gw-admin", "file": file}
    execution = execution_start(book, actor=operator, parameters=parameters)
    if before is not None:
        before(execution)
    return InProcessRun(execution).wait(60)


def posted(gateway) -> list[bytes]:
    """The bodies the file-sending step posted (the web login posts too)."""
    return [body for _method, path, body in gateway.received if path.endswith("/files/echo")]


def assert_refused(execution, gateway, data, message: str) -> None:
    assert execution.status == "failed"
    assert execution.steps.get(step_id="send").error == message
    assert posted(gateway) == []
    assert all(data.secret.encode() not in body for _m, _p, body in gateway.received)
    assert data.secret not in str(list(execution.steps.values("outputs", "error")))


def test_absolute_body_file_is_refused_before_anything_is_sent(team, operator, gateway, data):
    target = str(data.secrets_env)

    execution = launch(team, operator, gateway, SEND, target)

    assert_refused(
        execution,
        gateway,
        data,
        f"'body_file' is outside this run's folder: {target!r}. {NO_OTHER}",
    )


def test_another_runs_file_is_refused(team, operator, gateway, data):
    other = data.artifacts / "another-run" / "backup.gwbk"
    other.parent.mkdir()
    other.write_text(data.secret)

    execution = launch(team, operator, gateway, SEND, str(other))

    assert_refused(
        execution,
        gateway,
        data,
        f"'body_file' is outside this run's folder: {str(other)!r}. {NO_OTHER}",
    )


def test_parent_segments_are_refused(team, operator, gateway, data):
    execution = launch(team, operator, gateway, SEND, "../../secrets.env")

    assert_refused(
        execution,
        gateway,
        data,
        f"'body_file' must not contain '..' ('../../secrets.env'). {NO_OTHER}",
    )


@pytest.mark.parametrize(
    ("_case", "link_to", "name"),
    [
        ("a file of the system", "/etc/passwd", "passwd"),
        ("the data folder", "DATA", "keys/secrets.env"),
    ],
)
def test_a_link_in_the_run_folder_does_not_lead_out(
    team, operator, gateway, data, settings, _case, link_to, name
):
    def plant_link(execution):
        folder = settings.ARTIFACTS_ROOT / str(execution.pk)
        folder.mkdir(parents=True)
        (folder / name.split("/")[0]).symlink_to(data.root if link_to == "DATA" else link_to)

    execution = launch(team, operator, gateway, SEND, name, before=plant_link)

    assert_refused(
        execution,
        gateway,
        data,
        f"'body_file' leads (through a link) outside this run's folder: {name!r}. {NO_OTHER}",
    )


def test_a_file_of_the_run_folder_is_sent(team, operator, gateway, data):
    steps = FETCH + SEND.replace("{{ parameter.file }}", "{{ step.fetch.artifact }}")

    execution = launch(team, operator, gateway, steps, "unused")

    assert (execution.status, execution.status_reason) == ("completed", "")
    stored = data.artifacts / str(execution.pk) / "info.json"
    assert posted(gateway) == [stored.read_bytes()]


def test_an_artifact_is_never_written_through_a_link(team, operator, gateway, data, settings):
    planted = data.root / "planted.json"

    def plant_link(execution):
        folder = settings.ARTIFACTS_ROOT / str(execution.pk)
        folder.mkdir(parents=True)
        (folder / "info.json").symlink_to(planted)

    execution = launch(team, operator, gateway, FETCH, "unused", before=plant_link)

    assert (execution.status, execution.status_reason) == ("completed", "")
    assert execution.steps.get(step_id="fetch").outputs["artifact"] == "info-2.json"
    assert not planted.exists()


def test_a_file_of_an_allowed_input_folder_is_sent(
    team, operator, gateway, data, settings, tmp_path
):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    (inputs / "module.modl").write_bytes(b"MODULE-BYTES")
    (inputs / "escape").symlink_to(data.secrets_env)
    settings.WORKER_INPUT_DIRS = (inputs,)

    sent = launch(team, operator, gateway, SEND, str(inputs / "module.modl"))
    escaped = launch(team, operator, gateway, SEND, str(inputs / "escape"))

    assert (sent.status, sent.status_reason) == ("completed", "")
    assert posted(gateway) == [b"MODULE-BYTES"]
    allowed = WHERE.format(extra=f"or an absolute path inside {inputs}")
    assert escaped.steps.get(step_id="send").error == (
        f"'body_file' is outside this run's folder: {str(inputs / 'escape')!r}. {allowed}"
    )


def test_file_upload_of_an_absolute_path_is_refused(team, operator, gateway, data):
    site = HostileSite("about:blank")
    steps = f"""
    - id: open
      name: Open the form
      type: browser.navigate
      parameters: {{url: "{site.url("/form.html")}"}}
    - id: send
      name: Upload
      type: browser.file_upload
      parameters: {{selector: "#file", file_path: "{{{{ parameter.file }}}}"}}
    - id: count
      name: Count the files
      type: browser.get_text
      parameters: {{selector: "#files"}}
    """
    try:
        execution = launch(team, operator, gateway, steps, str(data.secrets_env))
    finally:
        site.stop()

    assert execution.status == "failed"
    assert execution.steps.get(step_id="send").error == (
        f"'file_path' is outside this run's folder: {str(data.secrets_env)!r}. {NO_OTHER}"
    )
    assert execution.steps.get(step_id="count").status == "pending"


def test_literal_parent_segments_are_refused_at_import(team, editor):
    client = APIClient()
    client.force_authenticate(editor)
    content = (
        'name: Steal\nversion: "1.0"\nsteps:\n  - id: send\n    name: Send\n'
        "    type: gateway.restore\n    parameters:\n      file: ../../secrets.env\n"
    )

    response = client.post(
        "/api/v1/playbooks/import/", {"content": content, "filename": "steal.yaml"}, format="json"
    )

    assert response.status_code == 400
    [issue] = response.json()["issues"]
    assert (issue["line"], issue["step_id"], issue["key"]) == (8, "send", "parameters.file")
    assert issue["message"] == "'file' must not contain '..', found '../../secrets.env'"
    assert Playbook.objects.count() == 0
