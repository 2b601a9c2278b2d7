"""Personas: an owner team with one user per role, and an outsider in another team."""

import pytest

from tests.accounts.factories import TeamFactory, UserFactory


@pytest.fixture
def team(db):
    return TeamFactory(name="Line 1")


@pytest.fixture
def other_team(db):
    return TeamFactory(name="Line 2")


@pytest.fixture
def admin_user(db):
    return UserFactory(username="alice-admin", roles=["admin"], is_staff=True)


@pytest.fixture
def editor(team):
    return UserFactory(username="erin-editor", roles=["editor"], teams=[team])


@pytest.fixture
def operator(team):
    return UserFactory(username="oscar-operator", roles=["operator"], teams=[team])


@pytest.fixture
def viewer(team):
    return UserFactory(username="vera-viewer", roles=["viewer"], teams=[team])


@pytest.fixture
def outsider(other_team):
    return UserFactory(username="otto-outsider", roles=["editor", "operator"], teams=[other_team])
