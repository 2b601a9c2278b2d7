"""Launch parameter values have a size limit, answered with a 400 naming the parameter."""

import pytest
from django.conf import settings
from django.test import Client

from apps.executions.models import Execution
from tests.executions.factories import playbook

pytestmark = pytest.mark.django_db

PARAMETERS = """
    - name: note
      type: string
      required: false
"""
STEP = """
    - id: hello
      name: Hello
      type: utility.log
      parameters: {message: hello}
"""


def launch(user, book, note: str):
    client = Client(raise_request_exception=False)
    client.force_login(user)
    body = {"playbook": book.pk, "parameters": {"note": note}}
    return client.post("/api/v1/executions/", body, content_type="application/json")


def test_default_limit_is_64_kib():
    assert settings.PARAMETER_VALUE_MAX_CHARS == 65536


def test_a_value_over_the_limit_is_a_400_naming_the_parameter(team, operator):
    book = playbook(team, STEP, parameters=PARAMETERS)

    response = launch(operator, book, "x" * 65537)

    assert response.status_code == 400
    assert response.json()["problems"] == [
        "'note' is 65537 characters long; at most 65536 are accepted "
        "(PARAMETER_VALUE_MAX_CHARS): pass large data as a file parameter instead"
    ]
    assert Execution.objects.count() == 0


def test_a_value_at_the_limit_is_launched(team, operator):
    book = playbook(team, STEP, parameters=PARAMETERS)

    response = launch(operator, book, "x" * 65536)

    assert response.status_code == 201
    assert Execution.objects.get().parameters["note"] == "x" * 65536
