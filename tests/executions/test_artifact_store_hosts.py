"""Two worker "hosts" (their own data folders) and a web host with none of their files, sharing
PostgreSQL, Redis and a real S3-compatible store: every screenshot, trace and download of
browser and gateway runs is shown and downloaded by the web, and goes with its run."""

import time

import pytest
from django.urls import reverse

from apps.executions.models import Execution
from apps.executions.services.launch import execution_start
from tests.credentials.factories import CredentialFactory
from tests.executions.factories import playbook
from tests.gateways.client.conftest import sim_factory  # noqa: F401 - fixture
from tests.steps.plugins.browser.site import Site

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.slow]

BROWSER = """
- id: open
  name: Open the download page
  type: browser.navigate
  parameters: {{url: "{url}"}}
- id: shot
  name: Screenshot
  type: browser.screenshot
  parameters: {{name: page.png}}
- id: get
  name: Download the backup
  type: browser.click
  parameters: {{selector: "#get"}}
- id: wait
  name: Let the download finish
  type: utility.sleep
  parameters: {{seconds: 0.5}}
"""
GATEWAY = """
- id: login
  name: Log in
  type: gateway.login
  parameters: {username: "{{ parameter.gw.username }}", password: "{{ parameter.gw }}"}
- id: backup
  name: Back up
  type: gateway.backup
"""
GATEWAY_PARAMETERS = """
- name: gateway_url
  type: string
- name: gw
  type: credential
"""
EXPECTED = {
    "browser": [("download", "backup.gwbk"), ("screenshot", "page.png"), ("trace", "trace.zip")],
    "gateway": [("download", ".gwbk")],  # named by the gateway: <name>_<version>_<time>.gwbk
}


@pytest.fixture
def site():
    served = Site()
    yield served
    served.stop()


@pytest.fixture
def hosts(object_store, celery_workers, settings, tmp_path):
    """Workers A and B, each with its own data folder; this process is the web (a third one)."""
    settings.ARTIFACTS_ROOT = tmp_path / "web"
    folders = {name: tmp_path / name for name in ("host-a", "host-b")}
    for name, folder in folders.items():
        env = object_store.worker_env(tmp_path / f"{name}.secret")
        celery_workers(
            name=f"{name}-{time.monotonic_ns()}", env={**env, "ARTIFACTS_ROOT": str(folder)}
        )
    return folders


def launch_all(team, operator, site, sim) -> dict[str, str]:
    """Two browser runs and two gateway runs at once: each idle worker takes one of each."""
    CredentialFactory(team=team, name="sim-admin", username="admin", secret="password")  # noqa: S106
    browser = playbook(team, BROWSER.format(url=site.url("/download.html")), name="Browser")
    gateway = playbook(team, GATEWAY, parameters=GATEWAY_PARAMETERS, name="Gateway")
    kinds = {}
    for _ in range(2):
        kinds[execution_start(browser, actor=operator).pk] = "browser"
        run = execution_start(
            gateway, actor=operator, parameters={"gateway_url": sim.url, "gw": "sim-admin"}
        )
        kinds[run.pk] = "gateway"
    return kinds


def wait_for(ids, timeout: float = 180) -> list[Execution]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        runs = list(Execution.objects.filter(pk__in=ids))
        if all(run.is_finished for run in runs):
            return runs
        time.sleep(0.25)
    raise AssertionError("the runs did not finish in time")


def fetched(client, artifact, **query) -> tuple[int, str, bytes]:
    url = reverse("executions:artifact", args=[artifact.execution_id, artifact.pk])
    answer = client.get(url, query)
    body = b"".join(answer.streaming_content) if answer.streaming else answer.content
    return answer.status_code, answer.get("Content-Disposition", ""), body


def test_runs_on_two_hosts_are_served_by_the_web_and_deleted_from_the_store(
    team,
    operator,
    viewer,
    client,
    object_store,
    hosts,
    site,
    sim_factory,  # noqa: F811
):
    kinds = launch_all(team, operator, site, sim_factory())

    runs = wait_for(list(kinds))

    assert [(run.status, run.status_reason) for run in runs] == [("completed", "")] * 4
    assert {run.worker_hostname.split("-")[1] for run in runs} == {"a", "b"}
    client.force_login(viewer)
    for run in runs:
        artifacts = sorted(run.artifacts.all(), key=lambda item: item.kind)
        expected = EXPECTED[kinds[run.pk]]
        assert [a.kind for a in artifacts] == [kind for kind, _ in expected]
        assert all(a.name.endswith(end) for a, (_, end) in zip(artifacts, expected, strict=True))
        for artifact in artifacts:
            stored = object_store.read(artifact.path)
            assert len(stored) == artifact.size > 0
            assert fetched(client, artifact)[::2] == (200, stored)
            status, disposition, body = fetched(client, artifact, download=1)
            assert (status, body) == (200, stored)
            assert disposition == f'attachment; filename="{artifact.name}"'
    assert [path for folder in hosts.values() if folder.exists() for path in folder.iterdir()] == []
    assert len(object_store.keys()) == 8

    client.force_login(operator)
    answer = client.post(reverse("executions:delete"), {"ids": list(kinds)})

    assert answer.status_code == 302
    assert Execution.objects.filter(pk__in=list(kinds)).count() == 0
    assert object_store.keys() == []
