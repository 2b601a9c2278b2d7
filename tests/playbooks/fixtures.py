"""Playbook fixtures: one user playbook and one built-in of the owner team."""

import pytest

from apps.playbooks.models import PlaybookOrigin
from tests.playbooks.factories import PlaybookFactory


@pytest.fixture
def playbook(team):
    return PlaybookFactory(team=team, path="gateway/check_gateway.yaml", name="Check gateway")


@pytest.fixture
def builtin_playbook(team):
    return PlaybookFactory(
        team=team, path="gateway/library.yaml", name="Library", origin=PlaybookOrigin.BUILTIN
    )
