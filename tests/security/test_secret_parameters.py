"""Secret launch parameters: encrypted at rest, write-only, masked in everything a run keeps."""

import json

import pytest
from django.db import connection
from rest_framework.test import APIClient

from apps.core.errors import ApplicationError
from apps.credentials.models import SECRET_PLACEHOLDER
from apps.executions.models import Execution, ExecutionEvent, StepRun
from apps.executions.services.history import execution_rerun
from apps.playbooks.loader import PlaybookValidationError, load_playbook
from apps.playbooks.models import Preset
from apps.playbooks.services import playbook_import
from apps.schedules.models import Schedule
from apps.schedules.services import schedule_launch
from tests.accounts.factories import UserFactory
from tests.executions.factories import playbook, steps_yaml
from tests.executions.fixtures import InProcessRun

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SECRET = "Zq7-launch-secret-41"
PLACEHOLDER = {"admin_pin": SECRET_PLACEHOLDER}
SECRET_PARAMETER = """
- name: admin_pin
  type: string
  secret: true
"""
STEPS = """
- id: show
  name: Log it
  type: utility.log
  parameters: {message: "pin={{ admin_pin }}"}
- id: keep
  name: Keep it
  type: utility.set_variable
  parameters: {name: pin, value: "{{ admin_pin }}"}
- id: fail
  name: Fail with it
  type: utility.sleep
  parameters: {seconds: "{{ admin_pin }}"}
  on_failure: continue
"""
LEGACY = steps_yaml(
    STEPS.replace("admin_pin", "password"), parameters="- {name: password, type: string}\n"
)


def secured(team):
    return playbook(team, STEPS, parameters=SECRET_PARAMETER, name="Secret run")


def raw_row(model, pk) -> str:
    """The stored row as PostgreSQL holds it, every column as text."""
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT row_to_json(t)::text FROM {table} t WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def kept_by_run(execution: Execution) -> str:
    """Everything the run stored: its row, steps, events and variables, as one text."""
    steps = list(StepRun.objects.filter(execution=execution).values("outputs", "error"))
    events = list(ExecutionEvent.objects.filter(execution=execution).values("payload"))
    execution.refresh_from_db()
    parts = [raw_row(Execution, execution.pk), steps, events, execution.status_reason]
    return json.dumps(parts, default=str)


def run(execution: Execution) -> Execution:
    return InProcessRun(execution).wait(60)


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_an_api_launch_stores_the_secret_encrypted_and_masks_it_everywhere(client, team, operator):
    book = secured(team)
    api = api_for(operator)

    response = api.post(
        "/api/v1/executions/",
        {"playbook": book.pk, "parameters": {"admin_pin": SECRET}},
        format="json",
    )

    assert response.status_code == 201, response.content
    execution = Execution.objects.get()
    assert response.json()["parameters"] == PLACEHOLDER
    assert execution.parameters == PLACEHOLDER
    assert SECRET not in raw_row(Execution, execution.pk)
    finished = run(execution)
    assert finished.status == "completed", finished.status_reason
    assert SECRET not in kept_by_run(finished)
    assert finished.steps.get(step_id="show").outputs["logged"] == "pin=[SECURE]"
    assert "[SECURE]" in finished.steps.get(step_id="fail").error
    body = api.get(f"/api/v1/executions/{execution.pk}/").content.decode()
    assert SECRET not in body
    client.force_login(operator)
    assert SECRET not in client.get(f"/executions/{execution.pk}/export.json").content.decode()


def test_a_web_form_launch_of_a_legacy_password_parameter_keeps_no_clear_value(
    client, team, editor, operator
):
    imported = playbook_import(team=team, actor=editor, content=LEGACY, lenient=True)
    book = imported.playbook
    client.force_login(operator)

    client.post(f"/playbooks/{book.pk}/run/", {"action": "run", "param-password": SECRET})

    execution = Execution.objects.get()
    assert execution.parameters == {"password": SECRET_PLACEHOLDER}
    assert SECRET not in raw_row(Execution, execution.pk)
    finished = run(execution)
    assert finished.status == "completed", finished.status_reason
    assert SECRET not in kept_by_run(finished)
    assert finished.steps.get(step_id="keep").outputs["value"] == "[SECURE]"


def test_the_run_form_renders_a_password_input_without_the_value(client, team, operator):
    book = secured(team)
    preset = Preset.objects.create(playbook=book, name="p", owner=operator, shared=True)
    api_for(operator).patch(
        f"/api/v1/presets/{preset.pk}/", {"values": {"admin_pin": SECRET}}, format="json"
    )
    client.force_login(operator)

    page = client.get(f"/playbooks/{book.pk}/run/?preset={preset.pk}").content.decode()

    assert 'type="password" id="run-admin_pin"' in page
    assert SECRET not in page
    assert SECRET_PLACEHOLDER not in page


def test_running_again_keeps_the_secret_on_the_server(team, operator):
    book = secured(team)
    api_for(operator).post(
        "/api/v1/executions/",
        {"playbook": book.pk, "parameters": {"admin_pin": SECRET}},
        format="json",
    )
    first = run(Execution.objects.get())

    again = run(execution_rerun(first, actor=operator))

    assert again.parameters == PLACEHOLDER
    assert again.steps.get(step_id="show").outputs["logged"] == "pin=[SECURE]"
    assert again.secret_parameters_values() == {"admin_pin": SECRET}


def test_only_who_entered_the_secret_can_run_it_again_with_it(team, operator):
    """A teammate must not drive a gateway with a value someone else typed and never showed."""
    book = secured(team)
    api_for(operator).post(
        "/api/v1/executions/",
        {"playbook": book.pk, "parameters": {"admin_pin": SECRET}},
        format="json",
    )
    first = Execution.objects.get()
    teammate = UserFactory(username="tom-operator", roles=["operator"], teams=[team])

    with pytest.raises(ApplicationError) as refused:
        execution_rerun(first, actor=teammate)

    assert refused.value.message == (
        "Cannot run 'Secret run' again with the secret value of admin_pin: only "
        f"{operator.username}, who entered it, can. Start the playbook from its Run page "
        "and enter it."
    )
    assert Execution.objects.count() == 1


def test_a_preset_stores_the_secret_encrypted_and_write_only(client, team, operator):
    book = secured(team)
    api = api_for(operator)

    created = api.post(
        "/api/v1/presets/",
        {"playbook": book.pk, "name": "night", "values": {"admin_pin": SECRET}},
        format="json",
    )
    preset = Preset.objects.get()
    kept = api.patch(
        f"/api/v1/presets/{preset.pk}/", {"values": PLACEHOLDER, "name": "nights"}, format="json"
    )
    client.force_login(operator)
    client.post(f"/playbooks/{book.pk}/run/", {"action": "run", "preset": preset.pk})

    assert created.status_code == 201, created.content
    assert created.json()["values"] == PLACEHOLDER
    assert kept.json()["values"] == PLACEHOLDER
    assert SECRET not in raw_row(Preset, preset.pk)
    preset.refresh_from_db()
    assert preset.secret_values_dict() == {"admin_pin": SECRET}
    execution = Execution.objects.get()
    assert execution.secret_parameters_values() == {"admin_pin": SECRET}


def test_a_schedule_stores_the_secret_encrypted_and_launches_with_it(team, operator):
    book = secured(team)
    api = api_for(operator)
    body = {
        "name": "Nightly",
        "playbook": book.pk,
        "kind": "daily",
        "time_of_day": "06:30",
        "parameters": {"admin_pin": SECRET},
    }

    created = api.post("/api/v1/schedules/", body, format="json")
    schedule = Schedule.objects.get()
    kept = api.patch(
        f"/api/v1/schedules/{schedule.pk}/", {"parameters": PLACEHOLDER}, format="json"
    )
    execution = schedule_launch(schedule.pk)

    assert created.status_code == 201, created.content
    assert created.json()["parameters"] == PLACEHOLDER
    assert kept.status_code == 200, kept.content
    assert kept.json()["parameters"] == PLACEHOLDER
    assert SECRET not in raw_row(Schedule, schedule.pk)
    assert execution.parameters == PLACEHOLDER
    assert execution.secret_parameters_values() == {"admin_pin": SECRET}
    assert SECRET not in api.get(f"/api/v1/schedules/{schedule.pk}/").content.decode()


def test_the_schedule_form_takes_secrets_in_a_password_input_and_never_shows_them(
    client, team, operator
):
    book = secured(team)
    client.force_login(operator)
    form = {"name": "Nightly", "playbook": book.pk, "kind": "daily", "time_of_day": "06:30"}
    form.update(time_zone="UTC", enabled="on")

    client.post("/schedules/new/", {**form, "secret_values": json.dumps({"admin_pin": SECRET})})
    schedule = Schedule.objects.get()
    page = client.get(f"/schedules/{schedule.pk}/edit/").content.decode()
    client.post(f"/schedules/{schedule.pk}/edit/", {**form, "parameters": json.dumps(PLACEHOLDER)})

    assert 'type="password" name="secret_values"' in page
    assert SECRET not in page
    assert SECRET not in raw_row(Schedule, schedule.pk)
    schedule.refresh_from_db()
    assert schedule.parameters == PLACEHOLDER
    assert schedule.secret_parameters_values() == {"admin_pin": SECRET}


def test_the_schedule_form_refuses_secret_values_for_parameters_that_are_not_secret(
    client, team, operator
):
    book = secured(team)
    client.force_login(operator)
    form = {"name": "Nightly", "playbook": book.pk, "kind": "daily", "time_of_day": "06:30"}
    form.update(time_zone="UTC", enabled="on")
    typed = {"admin_pin": SECRET, "plant_note": SECRET}

    response = client.post("/schedules/new/", {**form, "secret_values": json.dumps(typed)})

    assert "plant_note: not a secret parameter of this playbook" in response.content.decode()
    assert SECRET not in response.content.decode()
    assert Schedule.objects.count() == 0


def test_the_placeholder_without_a_stored_value_is_refused(team, operator):
    book = secured(team)

    response = api_for(operator).post(
        "/api/v1/executions/", {"playbook": book.pk, "parameters": PLACEHOLDER}, format="json"
    )

    assert response.status_code == 400
    assert "'admin_pin'" in response.json()["detail"]
    assert "type the value" in response.json()["detail"]
    assert Execution.objects.count() == 0


NAMES = [
    "password",
    "Admin_Password",
    "passwd",
    "db_pwd",
    "secret",
    "api_token",
    "apiKey",
    "api_key",
]


def named(name: str, extra: str = "") -> str:
    return steps_yaml(
        "- {id: a, name: A, type: utility.log, parameters: {message: hi}}\n",
        parameters=f"- {{name: {name}, type: string{extra}}}\n",
    )


@pytest.mark.parametrize("name", NAMES)
def test_a_password_like_parameter_is_an_error_in_strict_mode(name):
    with pytest.raises(PlaybookValidationError) as failure:
        load_playbook(named(name))

    [issue] = failure.value.issues
    assert issue.message == f"Parameter '{name}' looks like a secret but is a plain {'string'}"
    assert issue.hint == (
        "Use a 'credential' parameter (type: credential) naming a vault credential, or add "
        "'secret: true' so the value is stored encrypted and masked"
    )


@pytest.mark.parametrize("name", NAMES)
def test_a_password_like_parameter_is_a_warning_in_lenient_mode_and_becomes_secret(name):
    loaded = load_playbook(named(name), lenient=True)

    [warning] = loaded.warnings
    assert warning.severity == "warning"
    assert str(warning).endswith(
        f"Parameter '{name}' looks like a secret but is a plain string (treated as secret: "
        "true). Use a 'credential' parameter (type: credential) naming a vault credential, or "
        "add 'secret: true' so the value is stored encrypted and masked"
    )
    assert loaded.parameters[0]["secret"] is True


def test_secret_true_or_a_credential_loads_cleanly_in_strict_mode():
    assert load_playbook(named("password", ", secret: true")).warnings == []
    assert load_playbook(named("api_key_name")).parameters[0].get("secret") is None
    assert load_playbook(named("admin_password", ", secret: true")).parameters[0]["secret"] is True


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (", secret: yes please", "'secret' must be true or false"),
        (", type: integer, secret: true", "Only string parameters can be secret, not integer"),
        (", secret: true, default: hunter22", "A secret parameter cannot have a default"),
    ],
)
def test_bad_secret_declarations_are_errors(extra, message):
    text = named("pin" if "type:" not in extra else "count", extra)
    text = text.replace("type: string, type: integer", "type: integer")

    with pytest.raises(PlaybookValidationError) as failure:
        load_playbook(text)

    assert [issue.message for issue in failure.value.issues] == [message]
