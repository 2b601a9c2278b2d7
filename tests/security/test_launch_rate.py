"""Each user may start only so many runs a minute, through the API and the pages alike."""

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from apps.executions.models import Execution
from apps.executions.services.launch import execution_start
from tests.accounts.factories import UserFactory
from tests.executions.factories import playbook

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_two_a_minute")]

NAP = """
    - id: nap
      name: Nap
      type: utility.sleep
      parameters: {seconds: 5}
"""
HTMX = {"HTTP_HX_REQUEST": "true"}
REFUSED = "Too many runs started: at most 2 per minute for each user."


@pytest.fixture
def _two_a_minute():
    with override_settings(LAUNCH_RATE_LIMIT="2/min"):
        yield


@pytest.fixture
def book(team):
    return playbook(team, NAP)


def api_launch(user, book):
    api = APIClient()
    api.force_authenticate(user)
    return api.post("/api/v1/executions/", {"playbook": book.pk}, format="json")


def page_launch(client, user, book):
    client.force_login(user)
    return client.post(f"/playbooks/{book.pk}/run/", {"action": "run"}, **HTMX)


def test_the_api_answers_429_with_retry_after_past_the_limit(book, operator):
    answers = [api_launch(operator, book) for _ in range(3)]

    assert [answer.status_code for answer in answers] == [201, 201, 429]
    refused = answers[2]
    assert refused.json()["detail"].startswith(REFUSED)
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert Execution.objects.count() == 2


def test_the_limit_is_per_user(book, operator, team):
    colleague = UserFactory(username="olive-operator", roles=["operator"], teams=[team])
    for _ in range(2):
        api_launch(operator, book)

    assert api_launch(colleague, book).status_code == 201
    assert Execution.objects.filter(requested_by=colleague).count() == 1


def test_the_run_dialog_shares_the_limit_and_shows_the_message(client, book, operator):
    for _ in range(2):
        assert api_launch(operator, book).status_code == 201

    response = page_launch(client, operator, book)

    assert response.status_code == 429
    assert REFUSED in response.content.decode()
    assert Execution.objects.count() == 2


def test_run_again_shares_the_limit_and_shows_the_message(client, book, operator):
    first = execution_start(book, actor=operator)
    for _ in range(2):
        assert page_launch(client, operator, book).status_code == 204

    response = client.post(f"/executions/{first.pk}/rerun/", follow=True)

    assert REFUSED in response.content.decode()
    assert Execution.objects.count() == 3


def test_tries_refused_for_the_role_use_up_only_that_users_allowance(book, operator, viewer):
    for _ in range(2):
        api_launch(viewer, book)

    assert api_launch(viewer, book).status_code == 429
    assert api_launch(operator, book).status_code == 201
