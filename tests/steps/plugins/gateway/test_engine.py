"""Gateway steps through the engine: a playbook run against a live simulator."""

from pathlib import Path

import pytest

from apps.executions.models import Artifact
from tests.credentials.factories import CredentialFactory
from tests.executions.factories import playbook

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

STEPS = """
- id: login
  name: Log in
  type: gateway.login
  parameters:
    username: "{{ parameter.gw.username }}"
    password: "{{ parameter.gw }}"
- id: info
  name: Read info
  type: gateway.get_info
- id: modules
  name: List modules
  type: gateway.list_modules
- id: backup
  name: Back up
  type: gateway.backup
  parameters: {type: all}
"""
PARAMETERS = """
- name: gateway_url
  type: string
- name: gw
  type: credential
"""


def test_login_info_modules_and_backup_through_the_engine(
    team, sim, run_in_process, settings, tmp_path
):
    settings.ARTIFACTS_ROOT = tmp_path
    CredentialFactory(team=team, name="sim-admin", username="admin", secret="password")  # noqa: S106
    book = playbook(team, STEPS, parameters=PARAMETERS)

    run = run_in_process(book, parameters={"gateway_url": sim.url, "gw": "sim-admin"})
    execution = run.wait(60)

    assert (execution.status, execution.status_reason) == ("completed", "")
    steps = {s.step_id: s for s in execution.steps.all()}
    assert steps["login"].outputs == {"status": "logged_in", "mode": "session", "version": "8.3"}
    assert steps["info"].outputs["info"]["version"] == "8.3.6 (b2026042713)"
    assert steps["modules"].outputs["count"] == 32
    artifact = Artifact.objects.get(execution=execution)
    assert (artifact.kind, artifact.name) == ("download", steps["backup"].outputs["artifact"])
    assert artifact.size == steps["backup"].outputs["size_bytes"] > 0
    stored = Path(settings.ARTIFACTS_ROOT) / artifact.path
    assert stored.read_bytes()[:2] == b"PK"
