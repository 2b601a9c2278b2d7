"""A schedule's parameters: checked as a launch checks them, stored typed, secrets encrypted."""

import pytest

from apps.schedules.models import Schedule
from apps.schedules.services import ScheduleInvalidError, schedule_update
from tests.credentials.factories import CredentialFactory
from tests.executions.factories import playbook
from tests.gateways.factories import GatewayFactory
from tests.schedules.factories import make_schedule

pytestmark = pytest.mark.django_db


def problems_for(book, actor, **values) -> list[str]:
    with pytest.raises(ScheduleInvalidError) as raised:
        make_schedule(book, actor, **values)
    assert Schedule.objects.count() == 0
    return raised.value.errors["parameters"]


def test_values_are_stored_typed_and_only_those_given(team, operator, book, credential):
    schedule = make_schedule(
        book,
        operator,
        parameters={"gateway_url": "http://gw:8088", "retries": "3", "login": credential.name},
    )

    assert schedule.parameters == {
        "gateway_url": "http://gw:8088",
        "retries": 3,
        "login": "line1-gateway",
    }


def test_empty_values_are_left_to_the_defaults(team, operator, book):
    schedule = make_schedule(book, operator, parameters={"gateway_url": "http://gw", "note": ""})

    assert schedule.parameters == {"gateway_url": "http://gw"}


def test_a_gateway_stands_in_for_the_url_and_the_credential(team, operator, book, credential):
    gateway = GatewayFactory(team=team, default_credential=credential)

    schedule = make_schedule(book, operator, parameters={}, gateway=gateway)

    assert (schedule.parameters, schedule.gateway) == ({}, gateway)


def test_required_values_are_required_without_a_gateway(team, operator, book):
    assert problems_for(book, operator, parameters={}) == ["'gateway_url' is required"]


def test_parameters_must_be_an_object(team, operator, book):
    assert problems_for(book, operator, parameters=["gateway_url"]) == [
        'Parameters must be a JSON object of names to values, e.g. {"retries": 2}.'
    ]


def test_unknown_credentials_are_refused(team, operator, book):
    assert problems_for(book, operator, parameters={"gateway_url": "x", "login": "ghost"}) == [
        "'login': no credential named 'ghost' in this team"
    ]


def test_a_private_credential_of_someone_else_is_refused(team, operator, editor, book):
    CredentialFactory(team=team, name="erins-own", owner=editor, shared=False)

    assert problems_for(book, operator, parameters={"gateway_url": "x", "login": "erins-own"}) == [
        "'login': credential 'erins-own' is private to another user of Line 1; choose a shared "
        "credential or one of yours."
    ]


def secret_book(team):
    return playbook(
        team,
        "- {id: hello, name: Hello, type: utility.log, parameters: {message: hi}}\n",
        parameters="- {name: password, type: string, required: false, secret: true}\n",
    )


def test_secret_values_are_stored_encrypted_and_kept_by_the_placeholder(team, operator):
    schedule = make_schedule(secret_book(team), operator, parameters={"password": "hunter2"})
    schedule_update(schedule, actor=operator, parameters={"password": "$encrypted$"})

    schedule.refresh_from_db()
    assert schedule.parameters == {"password": "$encrypted$"}
    assert schedule.secret_parameters_values() == {"password": "hunter2"}


def test_the_placeholder_without_a_stored_secret_is_refused(team, operator):
    assert problems_for(secret_book(team), operator, parameters={"password": "$encrypted$"}) == [
        "'password': $encrypted$ stands for a stored secret and none is stored here; type the value"
    ]
