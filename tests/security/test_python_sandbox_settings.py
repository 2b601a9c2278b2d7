"""Where the sandbox cannot start or a network is not allowed, Python steps are refused; an
administrator may run them unsandboxed, and then every run page and run log says so."""

import pytest
from django.urls import reverse

from apps.core.errors import ApplicationError
from apps.executions.models import Execution
from apps.executions.services.launch import execution_start
from tests.executions.factories import HELLO_STEP, playbook

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PYTHON_STEP = """
    - id: script
      name: Script
      type: utility.python
      parameters: {script: "print('RAN=yes')"}
"""
NETWORK_STEP = """
    - id: fetch
      name: Fetch
      type: utility.python
      parameters: {script: "print(1)", network: true}
"""
UNSANDBOXED = (
    "Python steps run without a sandbox on this installation (PYTHON_STEPS_SANDBOX=off): "
    "their scripts can read the worker's files, the data folder and its keys included, and "
    "reach the network."
)
NO_SANDBOX_HINT = (
    "Install bubblewrap (Debian package 'bubblewrap') where the workers run, or an "
    "administrator may set PYTHON_STEPS_SANDBOX=off to run Python steps unsandboxed."
)
NO_NETWORK = (
    "it declares network: true, which this installation does not allow: an administrator "
    "must set PYTHON_STEPS_NETWORK=true, or remove network: true from the step."
)


@pytest.fixture(autouse=True)
def _python_steps_on(settings):
    settings.ALLOW_PYTHON_STEPS = True


def child_chosen_at_run_time(team, child_steps: str):
    """A parent whose child playbook (holding ``child_steps``) is named only at run time."""
    playbook(team, child_steps, path="gateway/scripted.yaml")
    return playbook(
        team,
        """
        - id: nested
          name: Nested
          type: playbook.run
          parameters: {playbook: "gateway/{{ parameter.child }}.yaml"}
    """,
        parameters="- {name: child, type: string, required: false, default: scripted}\n",
    )


# Without a working bubblewrap ------------------------------------------------------------------
BROKEN_BWRAP = [
    (
        "/nonexistent/bwrap",
        "bubblewrap is not installed: '/nonexistent/bwrap' (PYTHON_STEPS_BWRAP) was not found",
    ),
    ("/usr/bin/false", "bubblewrap ('/usr/bin/false') cannot create a sandbox here: exit code 1"),
]


@pytest.mark.parametrize(("binary", "reason"), BROKEN_BWRAP)
def test_without_a_working_bubblewrap_a_launch_is_refused_with_the_reason(
    team, operator, settings, binary, reason
):
    settings.PYTHON_STEPS_BWRAP = binary
    book = playbook(team, HELLO_STEP + PYTHON_STEP)

    with pytest.raises(ApplicationError) as refused:
        execution_start(book, actor=operator)

    assert refused.value.message == (
        "Step 'script' is a utility.python step, and Python steps cannot run on this "
        f"installation because their sandbox cannot start ({reason}). {NO_SANDBOX_HINT}"
    )
    assert not Execution.objects.exists()


def test_without_bubblewrap_a_step_chosen_at_run_time_fails_with_the_reason(
    team, run_in_process, settings
):
    settings.PYTHON_STEPS_BWRAP = "/nonexistent/bwrap"

    execution = run_in_process(child_chosen_at_run_time(team, PYTHON_STEP)).wait()

    assert execution.status == "failed"
    error = execution.steps.get(step_id="script").error
    assert error.startswith("This is a utility.python step, and Python steps cannot run")
    assert "'/nonexistent/bwrap' (PYTHON_STEPS_BWRAP) was not found" in error


# Network declared but not allowed --------------------------------------------------------------
def test_a_declared_network_is_refused_at_launch_unless_an_admin_allows_it(team, operator):
    book = playbook(team, HELLO_STEP + NETWORK_STEP)

    with pytest.raises(ApplicationError) as refused:
        execution_start(book, actor=operator)

    assert refused.value.message == f"Step 'fetch' is a utility.python step, and {NO_NETWORK}"
    assert not Execution.objects.exists()


def test_a_declared_network_in_a_literal_child_is_refused_at_launch(team, operator):
    playbook(team, NETWORK_STEP, path="gateway/fetching.yaml")
    parent = playbook(
        team,
        """
        - id: nested
          name: Nested
          type: playbook.run
          parameters: {playbook: gateway/fetching.yaml}
    """,
    )

    with pytest.raises(ApplicationError) as refused:
        execution_start(parent, actor=operator)

    assert refused.value.message == f"Step 'fetch' is a utility.python step, and {NO_NETWORK}"


def test_a_declared_network_chosen_at_run_time_fails_unless_an_admin_allows_it(
    team, run_in_process
):
    execution = run_in_process(child_chosen_at_run_time(team, NETWORK_STEP)).wait()

    assert execution.status == "failed"
    assert execution.steps.get(step_id="fetch").error == (
        f"This is a utility.python step, and {NO_NETWORK}"
    )


def test_a_declared_network_launches_where_an_admin_allows_it(team, operator, settings):
    settings.PYTHON_STEPS_NETWORK = True

    execution = execution_start(playbook(team, NETWORK_STEP), actor=operator)

    assert execution.status == "queued"


# Unsandboxed by an administrator ---------------------------------------------------------------
def test_unsandboxed_scripts_run_and_every_run_page_and_log_warns(
    team, operator, run_in_process, settings, client
):
    settings.PYTHON_STEPS_SANDBOX = "off"
    settings.PYTHON_STEPS_BWRAP = "/nonexistent/bwrap"

    execution = run_in_process(playbook(team, HELLO_STEP + PYTHON_STEP)).wait()

    assert execution.status == "completed", execution.status_reason
    assert execution.steps.get(step_id="script").outputs["RAN"] == "yes"
    logged = execution.events.filter(type="log", payload__level="warning")
    assert [event.payload["message"] for event in logged] == [UNSANDBOXED]
    client.force_login(operator)
    page = client.get(reverse("executions:detail", args=[execution.pk])).content.decode()
    assert 'id="unsandboxed-warning"' in page
    assert "Python steps run without a sandbox on this installation" in page


def test_run_pages_warn_only_for_runs_with_python_steps_and_only_when_unsandboxed(
    team, operator, settings, client
):
    with_python = execution_start(playbook(team, HELLO_STEP + PYTHON_STEP), actor=operator)
    without = execution_start(playbook(team, HELLO_STEP, name="No script"), actor=operator)
    client.force_login(operator)

    def warns(execution) -> bool:
        page = client.get(reverse("executions:detail", args=[execution.pk])).content.decode()
        return 'id="unsandboxed-warning"' in page

    assert (warns(with_python), warns(without)) == (False, False)
    settings.PYTHON_STEPS_SANDBOX = "off"
    assert (warns(with_python), warns(without)) == (True, False)
