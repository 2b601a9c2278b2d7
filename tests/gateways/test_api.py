import pytest
from rest_framework.test import APIClient

from apps.gateways.models import Gateway
from tests.credentials.factories import CredentialFactory
from tests.gateways.factories import GatewayFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/gateways/"


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_list(team, other_team, viewer, credential):
    gateway = GatewayFactory(team=team, name="gw", default_credential=credential, tags=["a"])
    GatewayFactory(team=other_team, name="other")

    response = client_for(viewer).get(URL)

    assert response.status_code == 200
    [item] = response.json()["results"]
    assert {
        k: item[k] for k in ("id", "name", "default_credential", "default_credential_name")
    } == {
        "id": gateway.pk,
        "name": "gw",
        "default_credential": credential.pk,
        "default_credential_name": "line1-gateway",
    }
    assert (item["tags"], item["version"], item["base_url"]) == (["a"], "8.3", gateway.base_url)


def test_list_query_count_does_not_grow(team, editor, credential, django_assert_num_queries):
    GatewayFactory.create_batch(5, team=team, default_credential=credential)
    client = client_for(editor)

    with django_assert_num_queries(3):
        response = client.get(URL)

    assert len(response.json()["results"]) == 5


def test_access_triad(team, outsider):
    gateway = GatewayFactory(team=team)

    assert client_for(outsider).get(f"{URL}{gateway.pk}/").status_code == 404
    assert client_for().get(f"{URL}{gateway.pk}/").status_code == 403
    assert client_for(outsider).patch(f"{URL}{gateway.pk}/", {"name": "x"}).status_code == 404
    assert client_for(outsider).delete(f"{URL}{gateway.pk}/").status_code == 404
    assert client_for().delete(f"{URL}{gateway.pk}/").status_code == 403
    assert Gateway.objects.get().name == gateway.name


def test_create_update_delete(team, editor, credential):
    client = client_for(editor)

    created = client.post(
        URL,
        {
            "name": "gw",
            "base_url": "http://gw:8088",
            "default_credential": credential.pk,
            "tags": ["plant"],
        },
        format="json",
    )
    gateway_id = created.json()["id"]
    changed = client.patch(f"{URL}{gateway_id}/", {"version": "8.1"}, format="json")
    deleted = client.delete(f"{URL}{gateway_id}/")

    assert (created.status_code, changed.status_code, deleted.status_code) == (201, 200, 204)
    assert created.json()["default_credential_name"] == "line1-gateway"
    assert changed.json()["version"] == "8.1"
    assert Gateway.objects.count() == 0


def test_a_credential_of_another_team_is_not_found(team, other_team, editor):
    foreign = CredentialFactory(team=other_team)

    response = client_for(editor).post(
        URL,
        {"name": "gw", "base_url": "http://gw:8088", "default_credential": foreign.pk},
        format="json",
    )

    assert response.status_code == 404
    assert Gateway.objects.count() == 0


@pytest.mark.parametrize("persona", ["viewer", "operator"])
def test_readers_cannot_write(request, team, persona):
    gateway = GatewayFactory(team=team, name="gw")
    client = client_for(request.getfixturevalue(persona))

    created = client.post(URL, {"name": "new", "base_url": "http://x"}, format="json")
    changed = client.patch(f"{URL}{gateway.pk}/", {"name": "renamed"}, format="json")
    deleted = client.delete(f"{URL}{gateway.pk}/")

    assert (created.status_code, changed.status_code, deleted.status_code) == (403, 403, 403)
    assert list(Gateway.objects.values_list("name", flat=True)) == ["gw"]


def test_invalid_url_is_a_400(team, editor):
    response = client_for(editor).post(URL, {"name": "gw", "base_url": "gw"}, format="json")

    assert response.status_code == 400
    assert response.json()["detail"].startswith("'gw' is not a gateway URL")


def test_ping(fake_gateway, team, viewer):
    gateway = GatewayFactory(team=team, base_url=fake_gateway.url)

    response = client_for(viewer).post(f"{URL}{gateway.pk}/ping/")

    assert response.status_code == 200
    assert (response.json()["ok"], response.json()["state"]) == (True, "RUNNING")


def test_ping_of_another_team_is_not_found(fake_gateway, team, outsider):
    gateway = GatewayFactory(team=team, base_url=fake_gateway.url)

    assert client_for(outsider).post(f"{URL}{gateway.pk}/ping/").status_code == 404
    assert fake_gateway.requests == []
