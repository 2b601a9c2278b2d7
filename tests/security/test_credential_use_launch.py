"""A run uses only credentials its requester may use: refused at launch, re-checked at run time.

Oscar (operator) owns the private credential ``oscar-private``; Olga, another operator of the
same team, may not use it. Every way to start a run (API, Run dialog, preset, CLI, schedule)
refuses her launch naming the parameter and the credential, and creates nothing.
"""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from rest_framework.test import APIClient

from apps.accounts.models import AuditEntry
from apps.executions.models import Execution
from apps.schedules.services import ScheduleInvalidError, schedule_launch, schedule_update
from tests.credentials.factories import CredentialFactory
from tests.executions.factories import playbook
from tests.gateways.factories import GatewayFactory
from tests.playbooks.factories import PresetFactory
from tests.schedules.factories import ScheduleFactory, make_schedule
from tests.security.private_credential import LOG_USER

pytestmark = pytest.mark.django_db

PROBLEM = (
    "'login': credential 'oscar-private' is private to another user of Line 1; choose a shared "
    "credential or one of yours."
)
PARAMETERS = """
    - {name: gateway_url, type: string, default: "http://gw:8088"}
    - {name: login, type: credential, required: false}
"""


@pytest.fixture
def book(team):
    return playbook(team, LOG_USER, parameters=PARAMETERS, path="gateway/who.yaml")


def api_launch(user, body):
    client = APIClient()
    client.force_authenticate(user)
    return client.post("/api/v1/executions/", body, format="json")


# Launch ------------------------------------------------------------------------------------
def test_the_api_refuses_another_users_private_credential(
    book, private, olga, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = api_launch(olga, {"playbook": book.pk, "parameters": {"login": private.name}})

    assert response.status_code == 400
    assert response.json()["problems"] == [PROBLEM]
    assert response.json()["detail"] == f"Invalid parameters: {PROBLEM}"
    assert (Execution.objects.count(), callbacks) == (0, [])
    assert AuditEntry.objects.filter(action__in=["execution.start", "credential.use"]).count() == 0


def test_the_owner_launches_with_their_private_credential(book, private, operator):
    response = api_launch(operator, {"playbook": book.pk, "parameters": {"login": private.name}})

    assert response.status_code == 201
    assert Execution.objects.get().parameters["login"] == "oscar-private"


def test_a_gateways_private_default_credential_is_refused_too(team, book, private, olga):
    gateway = GatewayFactory(team=team, default_credential=private)

    response = api_launch(olga, {"playbook": book.pk, "gateway": gateway.pk})

    assert response.status_code == 400
    assert response.json()["problems"] == [PROBLEM]
    assert Execution.objects.count() == 0


def test_the_run_dialog_refuses_it_next_to_the_input(client, book, private, olga):
    client.force_login(olga)
    data = {"param-login": private.name, "action": "run"}

    response = client.post(f"/playbooks/{book.pk}/run/", data, HTTP_HX_REQUEST="true")

    assert response.status_code == 422
    assert (
        "Credential &#x27;oscar-private&#x27; is private to another user of Line 1"
        in response.content.decode()
    )
    assert Execution.objects.count() == 0


def test_a_shared_preset_naming_a_private_credential_does_not_run(client, book, private, olga):
    preset = PresetFactory(playbook=book, owner=private.owner, values={"login": private.name})
    client.force_login(olga)
    dialog = client.get(f"/playbooks/{book.pk}/run/?preset={preset.pk}", HTTP_HX_REQUEST="true")
    data = {"param-login": private.name, "preset": preset.pk, "action": "run"}

    response = client.post(f"/playbooks/{book.pk}/run/", data, HTTP_HX_REQUEST="true")

    assert dialog.status_code == 200
    assert response.status_code == 422
    assert Execution.objects.count() == 0


@pytest.mark.parametrize(
    ("_case", "args", "message"),
    [
        ("param", ["-p", "login=oscar-private"], f"Invalid parameters: {PROBLEM}"),
        (
            "credential",
            ["--credential", "oscar-private"],
            "Credential 'oscar-private' not found in the vault of Line 1.",
        ),
    ],
)
def test_the_cli_acting_as_a_user_refuses_it(book, private, olga, _case, args, message):
    with pytest.raises(CommandError) as refused:
        call_command("run_playbook", "gateway/who.yaml", "--user", olga.username, *args)

    assert (str(refused.value), refused.value.returncode) == (message, 2)
    assert Execution.objects.count() == 0


# Schedules ---------------------------------------------------------------------------------
def test_a_schedule_cannot_be_saved_with_it(book, private, olga):
    with pytest.raises(ScheduleInvalidError) as refused:
        make_schedule(book, olga, parameters={"login": private.name})

    assert refused.value.errors == {"parameters": [PROBLEM]}


def test_editing_a_schedule_checks_the_credential_against_its_owner(team, book, private, olga):
    mine = CredentialFactory(team=team, name="olga-private", owner=olga, shared=False)
    schedule = make_schedule(book, private.owner)

    with pytest.raises(ScheduleInvalidError) as refused:
        schedule_update(schedule, actor=olga, parameters={"login": mine.name})

    assert refused.value.errors == {
        "parameters": [
            "'login': credential 'olga-private' is private to another user of Line 1; the "
            "schedule runs as oscar-operator, who may not use it."
        ]
    }
    schedule.refresh_from_db()
    assert schedule.parameters == {"gateway_url": "http://gw:8088"}


def test_a_scheduled_run_is_refused_when_its_owner_may_not_use_it(book, private, olga):
    schedule = ScheduleFactory(playbook=book, created_by=olga, parameters={"login": private.name})

    assert schedule_launch(schedule.pk) is None

    schedule.refresh_from_db()
    assert schedule.last_error == f"Invalid parameters: {PROBLEM}"
    assert Execution.objects.count() == 0
