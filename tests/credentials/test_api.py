import pytest
from rest_framework.test import APIClient

from apps.credentials.models import Credential
from tests.credentials.factories import CredentialFactory
from tests.credentials.fixtures import KNOWN_SECRET
from tests.gateways.factories import GatewayFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/credentials/"


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_list_shows_the_placeholder_never_the_secret(credential, viewer):
    response = client_for(viewer).get(URL)

    assert response.status_code == 200
    assert response.json()["results"] == [
        {
            "id": credential.pk,
            "team": credential.team_id,
            "name": "line1-gateway",
            "kind": "username_password",
            "username": "admin",
            "secret": "$encrypted$",
            "gateway_url": "",
            "description": "",
            "owner": "erin-editor",
            "shared": True,
            "created_at": response.json()["results"][0]["created_at"],
            "updated_at": response.json()["results"][0]["updated_at"],
        }
    ]


def test_list_query_count_does_not_grow(team, editor, django_assert_num_queries):
    CredentialFactory.create_batch(5, team=team, owner=editor)
    client = client_for(editor)

    # role lookup, count, page (team and owner joined)
    with django_assert_num_queries(3):
        response = client.get(URL)

    assert len(response.json()["results"]) == 5


def test_other_teams_and_anonymous_see_nothing(credential, outsider):
    assert client_for(outsider).get(URL).json()["results"] == []
    assert client_for(outsider).get(f"{URL}{credential.pk}/").status_code == 404
    assert client_for().get(URL).status_code == 403


def test_create(team, editor):
    response = client_for(editor).post(
        URL,
        {"name": "gw", "username": "admin", "secret": KNOWN_SECRET, "shared": True},
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["secret"] == "$encrypted$"
    assert Credential.objects.get().secret == KNOWN_SECRET


def test_create_for_a_team_that_is_not_yours_is_not_found(other_team, editor):
    response = client_for(editor).post(
        URL, {"team": other_team.pk, "name": "gw", "username": "u", "secret": "s"}, format="json"
    )

    assert response.status_code == 404
    assert Credential.objects.count() == 0


def test_admins_with_no_team_must_choose(admin_user):
    response = client_for(admin_user).post(
        URL, {"name": "gw", "username": "u", "secret": "s"}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"detail": "You belong to no team; ask an admin to add you to one."}


def test_users_of_several_teams_must_choose(team, other_team, editor):
    from apps.accounts.models import Membership

    Membership.objects.create(user=editor, team=other_team)

    response = client_for(editor).post(
        URL, {"name": "gw", "username": "u", "secret": "s"}, format="json"
    )

    assert response.json() == {
        "detail": "You belong to several teams: choose one with the 'team' field."
    }


@pytest.mark.parametrize("persona", ["viewer", "operator"])
def test_readers_cannot_write(request, credential, persona):
    client = client_for(request.getfixturevalue(persona))

    created = client.post(URL, {"name": "x", "username": "u", "secret": "s"}, format="json")
    changed = client.patch(f"{URL}{credential.pk}/", {"secret": "stolen"}, format="json")
    deleted = client.delete(f"{URL}{credential.pk}/")

    assert (created.status_code, changed.status_code, deleted.status_code) == (403, 403, 403)
    assert created.json() == {"detail": "Only editors of Line 1 may change credentials."}
    assert list(Credential.objects.values_list("name", flat=True)) == ["line1-gateway"]
    credential.refresh_from_db()
    assert credential.secret == KNOWN_SECRET


def test_outsiders_and_anonymous_cannot_change(credential, outsider):
    changed = client_for(outsider).patch(f"{URL}{credential.pk}/", {"secret": "x"}, format="json")
    deleted = client_for().delete(f"{URL}{credential.pk}/")

    assert (changed.status_code, deleted.status_code) == (404, 403)
    credential.refresh_from_db()
    assert credential.secret == KNOWN_SECRET


def test_placeholder_means_unchanged(credential, editor):
    response = client_for(editor).patch(
        f"{URL}{credential.pk}/", {"secret": "$encrypted$", "description": "d"}, format="json"
    )

    assert response.status_code == 200
    credential.refresh_from_db()
    assert (credential.secret, credential.description) == (KNOWN_SECRET, "d")


def test_delete(credential, editor):
    assert client_for(editor).delete(f"{URL}{credential.pk}/").status_code == 204
    assert Credential.objects.count() == 0


def test_invalid_input_is_a_400(team, editor):
    response = client_for(editor).post(URL, {"name": "gw", "kind": "ssh"}, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {"kind", "secret"}


def test_test_connection(fake_gateway, credential, operator):
    GatewayFactory(team=credential.team, base_url=fake_gateway.url)

    response = client_for(operator).post(
        f"{URL}{credential.pk}/test-connection/", {"gateway_url": fake_gateway.url}, format="json"
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["ok"], body["state"], body["status_code"]) == (True, "RUNNING", 200)


def test_test_connection_of_another_team_is_not_found(fake_gateway, credential, outsider):
    response = client_for(outsider).post(
        f"{URL}{credential.pk}/test-connection/", {"gateway_url": fake_gateway.url}, format="json"
    )

    assert response.status_code == 404
    assert fake_gateway.requests == []
