"""Fixtures of the schedule tests: a schedulable playbook of the owner team."""

import pytest

from tests.schedules.factories import scheduled_playbook


@pytest.fixture
def book(team):
    return scheduled_playbook(team)
