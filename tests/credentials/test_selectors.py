import pytest

from apps.core.errors import NotFoundError
from apps.credentials.selectors import (
    credential_get_by_name_for_user,
    credential_get_for_user,
    credential_list_for_user,
    credential_names_for_team,
)
from tests.credentials.factories import CredentialFactory

pytestmark = pytest.mark.django_db


def test_members_see_shared_and_own_credentials(team, other_team, editor, viewer, outsider):
    shared = CredentialFactory(team=team, name="a-shared", shared=True)
    own = CredentialFactory(team=team, name="b-own", owner=viewer, shared=False)
    CredentialFactory(team=team, name="c-private", owner=editor, shared=False)
    CredentialFactory(team=other_team, name="d-other")

    assert list(credential_list_for_user(viewer)) == [shared, own]


def test_admins_see_everything(team, other_team, admin_user, editor):
    first = CredentialFactory(team=team, name="a", owner=editor, shared=False)
    second = CredentialFactory(team=other_team, name="b")

    assert list(credential_list_for_user(admin_user)) == [first, second]


def test_get_for_user_hides_other_teams(credential, outsider):
    with pytest.raises(NotFoundError, match=f"Credential {credential.pk} does not exist"):
        credential_get_for_user(outsider, credential.pk)


def test_get_by_name(credential, team, operator, outsider):
    assert credential_get_by_name_for_user(operator, team, "line1-gateway") == credential
    with pytest.raises(NotFoundError, match="Credential 'line1-gateway' not found in the vault"):
        credential_get_by_name_for_user(outsider, team, "line1-gateway")


def test_names_for_team(credential, team, other_team):
    CredentialFactory(team=other_team, name="elsewhere")

    assert credential_names_for_team(team) == {"line1-gateway"}
