"""Vault fixtures: a shared credential of the owner team holding a known secret."""

import pytest

from tests.credentials.factories import CredentialFactory

KNOWN_SECRET = "zq-KNOWN-secret-7f3a91"


@pytest.fixture
def credential(team, editor):
    return CredentialFactory(
        team=team, name="line1-gateway", owner=editor, secret=KNOWN_SECRET, shared=True
    )
