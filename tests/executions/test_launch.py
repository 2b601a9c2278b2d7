"""execution_start: typed parameters, plan rows, autofill from the gateway, refusals."""

import pytest

from apps.core.errors import ApplicationError, PermissionDeniedError
from apps.executions.models import Execution, StepRun
from apps.executions.parameters import ParameterError
from apps.executions.services.launch import execution_start
from tests.credentials.factories import CredentialFactory
from tests.executions.factories import playbook
from tests.gateways.factories import GatewayFactory

pytestmark = pytest.mark.django_db

PARAMETERS = """
    - name: gateway_url
      type: string
      required: true
    - name: login
      type: credential
      required: false
    - name: attempts
      type: integer
      default: 2
    - name: ratio
      type: float
      required: false
    - name: verbose
      type: boolean
      required: false
    - name: tags
      type: list
      required: false
    - name: options
      type: dict
      required: false
"""
PLAIN_STEP = """
    - id: hello
      name: Hello
      type: utility.log
      parameters: {message: hello}
"""
ONE_STEP = """
    - id: hello
      name: Hello
      type: utility.log
      parameters: {message: "{{ parameter.gateway_url }}"}
"""


def test_values_typed_in_a_form_become_their_declared_types(
    team, operator, django_capture_on_commit_callbacks
):
    book = playbook(team, ONE_STEP, parameters=PARAMETERS)

    with django_capture_on_commit_callbacks() as callbacks:
        execution = execution_start(
            book,
            actor=operator,
            parameters={
                "gateway_url": "http://gw:8088",
                "attempts": "5",
                "ratio": "0.5",
                "verbose": "yes",
                "tags": '["a", "b"]',
                "options": {"x": 1},
            },
        )

    assert execution.parameters == {
        "gateway_url": "http://gw:8088",
        "attempts": 5,
        "ratio": 0.5,
        "verbose": True,
        "tags": ["a", "b"],
        "options": {"x": 1},
    }
    assert (execution.status, execution.playbook_version, execution.requested_by) == (
        "queued",
        book.current_version,
        operator,
    )
    assert list(execution.steps.values_list("path", "step_id", "status")) == [
        ("0", "hello", "pending")
    ]
    assert len(callbacks) == 2  # the enqueue and the queued event


def test_every_parameter_problem_is_listed_and_nothing_is_created(team, operator):
    book = playbook(team, ONE_STEP, parameters=PARAMETERS)

    with pytest.raises(ParameterError) as raised:
        execution_start(
            book,
            actor=operator,
            parameters={
                "attempts": "many",
                "verbose": "maybe",
                "tags": "{",
                "login": "ghost",
                "extra": 1,
            },
        )

    assert raised.value.problems == [
        "unknown parameter 'extra'",
        "'gateway_url' is required",
        "'login': no credential named 'ghost' in this team",
        "'attempts' must be a whole number, not 'many'",
        "'verbose' must be true or false, not 'maybe'",
        "'tags' must be a list written as JSON (e.g. [1, 2]), not '{'",
    ]
    assert Execution.objects.count() == StepRun.objects.count() == 0


def test_the_target_gateway_fills_the_url_and_its_default_credential(team, operator):
    credential = CredentialFactory(team=team, name="gw-admin")
    gateway = GatewayFactory(
        team=team, base_url="http://plant-gw:8088", default_credential=credential
    )
    book = playbook(team, ONE_STEP, parameters=PARAMETERS)

    execution = execution_start(book, actor=operator, gateway=gateway)

    assert execution.parameters["gateway_url"] == "http://plant-gw:8088"
    assert execution.parameters["login"] == "gw-admin"
    assert execution.gateway == gateway


@pytest.mark.parametrize(
    ("_case", "change", "message"),
    [
        (
            "disabled",
            {"enabled": False},
            "Playbook 'Engine test' is disabled; enable it to run it.",
        ),
        ("no version", {"current_version": None}, "Playbook 'Engine test' has no version to run."),
    ],
)
def test_playbooks_that_cannot_run_are_refused(team, operator, _case, change, message):
    book = playbook(team, PLAIN_STEP)
    for name, value in change.items():
        setattr(book, name, value)
    book.save()

    with pytest.raises(ApplicationError, match=message):
        execution_start(book, actor=operator)


def test_a_gateway_of_another_team_is_refused(team, other_team, operator):
    book = playbook(team, PLAIN_STEP)

    with pytest.raises(ApplicationError, match="belongs to another team"):
        execution_start(book, actor=operator, gateway=GatewayFactory(team=other_team))


def test_viewers_and_editors_cannot_run(team, viewer, editor):
    book = playbook(team, PLAIN_STEP)

    for person in (viewer, editor):
        with pytest.raises(
            PermissionDeniedError, match="Running playbooks needs the operator role."
        ):
            execution_start(book, actor=person)
    assert Execution.objects.count() == 0
