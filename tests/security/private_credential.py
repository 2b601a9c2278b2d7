"""Oscar's private credential and Olga, an operator of the same team who may not use it."""

import pytest

from tests.accounts.factories import UserFactory
from tests.credentials.factories import CredentialFactory

SECRET = "Oscars-0wn-pa55word"  # noqa: S105 (a test value)
LOG_USER = """
    - id: who
      name: Who
      type: utility.log
      parameters: {message: "as {{ parameter.login.username }}"}
"""


@pytest.fixture
def olga(team):
    return UserFactory(username="olga-operator", roles=["operator"], teams=[team])


@pytest.fixture
def private(team, operator):
    return CredentialFactory(
        team=team, name="oscar-private", username="oscar", secret=SECRET, owner=operator,
        shared=False,
    )  # fmt: skip
