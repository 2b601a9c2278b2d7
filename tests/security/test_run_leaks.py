"""A run with a distinctive password leaves it nowhere: rows, events, files, logs, API answers.

Real parts: the engine in this process, the gateway simulator (its admin password set to the
secret), a local page site and the worker's Chromium. Every stored or served thing is searched
for the secret in each of its encodings (``tests.security.leaks``).
"""

import io
import logging
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from apps.executions.models import Artifact
from apps.executions.services.launch import execution_start
from apps.playbooks.models import Playbook
from apps.playbooks.services import playbook_library_sync
from tests.credentials.factories import CredentialFactory
from tests.executions.factories import playbook
from tests.executions.fixtures import InProcessRun
from tests.gateways.client.conftest import sim_factory  # noqa: F401 - fixture
from tests.security.leaks import (
    SECRET,
    USERNAME,
    GroupListener,
    artifact_leaks,
    database_leaks,
    leaks_in,
    log_leaks,
)
from tests.steps.plugins.browser.site import Site

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Each step puts the password where a playbook author could: a query string, a JSON body
# echoed back (and saved with ``save_as``), a browser URL, a variable, a log line, a page.
STEPS = """
- id: login
  name: Log in over the API
  type: gateway.login
  parameters: {username: "{{ parameter.gw.username }}", password: "{{ parameter.gw }}"}
- id: query
  name: Password in a query string
  type: gateway.api_request
  parameters: {method: GET, path: gateway-info, query: {pw: "{{ parameter.gw.password }}"}}
- id: create
  name: Password in a JSON body
  type: gateway.api_request
  parameters:
    method: POST
    path: projects
    json: {name: Leaky, description: "{{ parameter.gw.password }}"}
- id: echo
  name: A body that echoes the password, saved
  type: gateway.api_request
  parameters: {method: GET, path: projects/find/Leaky, save_as: leaky.json}
- id: path
  name: Password in a path (the client logs the path)
  type: gateway.api_request
  parameters:
    method: GET
    path: "projects/find/{{ parameter.gw.password }}"
    expected_status: [404]
- id: open
  name: Password in a browser URL
  type: browser.navigate
  parameters: {url: "{{ parameter.gateway_url }}/web/home?pw={{ parameter.gw.password }}"}
- id: keep
  name: The encoded URL in a variable
  type: utility.set_variable
  parameters: {name: address, value: "{{ step.open.url }}"}
- id: tell
  name: The encoded URL in a log line
  type: utility.log
  parameters: {message: "Opened {{ variable.address }}"}
- id: page
  name: A page that shows the password
  type: browser.navigate
  parameters: {url: "{{ parameter.site }}/form.html"}
- id: type
  name: Type the password
  type: browser.fill
  parameters: {selector: "#name", value: "{{ parameter.gw.password }}"}
- id: show
  name: Show it
  type: browser.click
  parameters: {selector: "#go"}
- id: fail
  name: Fail on that page, keeping its HTML
  type: browser.verify_text
  parameters: {selector: "#out", text: "not there", timeout: 500}
  on_failure: continue
"""
PARAMETERS = """
- name: gateway_url
  type: string
- name: site
  type: string
  required: false
  default: ""
- name: gw
  type: credential
"""


@pytest.fixture(autouse=True)
def _artifacts_in_tmp(settings, tmp_path):
    settings.ARTIFACTS_ROOT = tmp_path


@pytest.fixture
def console():
    """What the configured console handler (the worker's log) writes during the test."""
    handler = next(h for h in logging.getLogger().handlers if type(h) is logging.StreamHandler)
    written = io.StringIO()
    previous = handler.setStream(written)
    yield written
    handler.setStream(previous)


@pytest.fixture
def site():
    served = Site()
    yield served
    served.stop()


@pytest.fixture
def secret_simulator(sim_factory):  # noqa: F811 - the imported fixture
    return sim_factory(admin_password=SECRET)


def run_watched(book, operator, parameters: dict):
    """Start ``book``, listen to its websocket group, run it here; the run and its messages."""
    execution = execution_start(book, actor=operator, parameters=parameters)
    listener = GroupListener(execution.pk)
    finished = InProcessRun(execution).wait(120)
    return finished, listener.until_finished()


def served_leaks(client, viewer, execution) -> list[str]:
    """Leaks in what a team member reads: API detail and events, the page, the export."""
    client.force_login(viewer)
    pk = execution.pk
    urls = [
        f"/api/v1/executions/{pk}/",
        f"/api/v1/executions/{pk}/events/",
        reverse("executions:detail", args=[pk]),
        reverse("executions:export", args=[pk]),
    ]
    urls += [
        reverse("executions:artifact", args=[pk, artifact.pk])
        for artifact in Artifact.objects.filter(execution=execution)
    ]
    found = []
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        found += leaks_in(body, url)
    return found


def test_a_gateway_and_browser_run_leaves_the_password_nowhere(
    team, operator, viewer, client, secret_simulator, site, caplog, console
):
    caplog.set_level(logging.INFO)
    CredentialFactory(team=team, name="gw", username=USERNAME, secret=SECRET)
    book = playbook(team, STEPS, parameters=PARAMETERS)
    parameters = {"gateway_url": secret_simulator.url, "site": site.url(""), "gw": "gw"}

    execution, messages = run_watched(book, operator, parameters)

    assert (execution.status, execution.status_reason) == ("completed", "")
    steps = {step.step_id: step for step in execution.steps.all()}
    assert steps["fail"].status == "failed"
    assert steps["echo"].outputs["artifact"] == "leaky.json"
    kinds = sorted(Artifact.objects.filter(execution=execution).values_list("kind", flat=True))
    assert kinds == ["download", "html", "screenshot", "trace"]
    assert database_leaks(execution) == []
    assert leaks_in(repr(messages), "websocket") == []
    assert artifact_leaks(execution) == []
    assert "GET /data/api/v1/projects/find/[SECURE] answered HTTP 404" in console.getvalue()
    assert log_leaks(caplog.records, console.getvalue()) == []
    assert served_leaks(client, viewer, execution) == []


def test_no_http_request_line_is_logged_at_info(team, operator, secret_simulator, caplog):
    caplog.set_level(logging.INFO)
    CredentialFactory(team=team, name="gw", username=USERNAME, secret=SECRET)
    book = playbook(team, STEPS.split("- id: open")[0], parameters=PARAMETERS)

    execution, _ = run_watched(book, operator, {"gateway_url": secret_simulator.url, "gw": "gw"})

    assert execution.status == "completed"
    clients = [r for r in caplog.records if r.name.startswith(("httpx", "httpcore"))]
    assert [r.getMessage() for r in clients if r.levelno < logging.WARNING] == []
    calls = [r.getMessage() for r in caplog.records if r.name == "apps.gateways.client.http"]
    assert "GET /data/api/v1/gateway-info answered HTTP 200" in calls
    assert [call for call in calls if "?" in call] == []


def test_the_shipped_gateway_login_leaves_the_password_out_of_its_trace(
    team, operator, viewer, client, secret_simulator, caplog, console
):
    caplog.set_level(logging.INFO)
    playbook_library_sync(root=Path(settings.BASE_DIR) / "playbooks", teams=[team])
    CredentialFactory(team=team, name="line-admin", username=USERNAME, secret=SECRET)
    book = Playbook.objects.get(team=team, path="gateway/gateway_login.yaml")
    parameters = {"gateway_url": secret_simulator.url, "gateway_credential": "line-admin"}

    execution, messages = run_watched(book, operator, parameters)

    assert (execution.status, execution.status_reason) == ("completed", "")
    trace = Artifact.objects.get(execution=execution, kind="trace")
    stored = Path(settings.ARTIFACTS_ROOT) / trace.path
    assert trace.size == stored.stat().st_size
    with zipfile.ZipFile(stored) as archive:
        assert archive.testzip() is None
        assert {"trace.trace", "trace.network"} <= set(archive.namelist())
    assert database_leaks(execution) == []
    assert leaks_in(repr(messages), "websocket") == []
    assert artifact_leaks(execution) == []
    assert log_leaks(caplog.records, console.getvalue()) == []
    assert served_leaks(client, viewer, execution) == []
