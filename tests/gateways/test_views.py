"""The gateways page: list, add, edit, delete and ping."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.gateways.models import Gateway
from tests.credentials.factories import CredentialFactory
from tests.credentials.fixtures import KNOWN_SECRET
from tests.gateways.factories import GatewayFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
CREATE = {
    "name": "Line 1 primary",
    "base_url": "http://gw.local:8088/",
    "version": "8.1",
    "tags": "line1, staging ,",
    "allow_concurrent_runs": "on",
    "description": "The main one.",
}


def logged_in(client, user):
    client.force_login(user)
    return client


def urls(pk):
    return [f"/gateways/{pk}/edit/", f"/gateways/{pk}/delete/", f"/gateways/{pk}/ping/"]


def test_list_shows_the_teams_gateways(client, team, other_team, viewer, credential):
    GatewayFactory(team=team, name="Primary", default_credential=credential, tags=["line1"])
    GatewayFactory(team=other_team, name="Elsewhere")

    body = logged_in(client, viewer).get("/gateways/").content.decode()

    assert "Primary" in body
    assert "line1-gateway" in body
    assert '<li class="chip">line1</li>' in body
    assert "Elsewhere" not in body
    assert "Ping" in body
    assert "Add gateway" not in body
    assert KNOWN_SECRET not in body


def test_list_query_count_does_not_grow(client, team, editor, credential):
    client = logged_in(client, editor)
    GatewayFactory.create_batch(2, team=team, default_credential=credential)
    with CaptureQueriesContext(connection) as few:
        client.get("/gateways/")
    GatewayFactory.create_batch(8, team=team, default_credential=credential)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/gateways/")

    assert response.content.decode().count('<tr id="gateway-') == 10
    assert len(many) == len(few)
    assert len(many) <= 10


def test_access_triad(client, team, outsider):
    gateway = GatewayFactory(team=team, name="Primary")
    for url in ["/gateways/", *urls(gateway.pk)]:
        assert client.get(url).status_code == 302, url
        assert client.post(url).status_code == 302, url
    client = logged_in(client, outsider)
    for url in urls(gateway.pk):
        assert client.post(url, CREATE).status_code == 404, url
    assert client.get(f"/gateways/{gateway.pk}/edit/").status_code == 404
    gateway.refresh_from_db()
    assert gateway.name == "Primary"


def test_add_a_gateway(client, team, editor, credential, other_team):
    foreign = CredentialFactory(team=other_team, name="foreign")
    client = logged_in(client, editor)
    data = {**CREATE, "default_credential": credential.pk}

    response = client.post("/gateways/new/", data, **HTMX)
    again = client.post("/gateways/new/", data, **HTMX)
    bad_url = client.post("/gateways/new/", {**CREATE, "name": "x", "base_url": "gw"}, **HTMX)
    foreign_credential = client.post("/gateways/new/", {**data, "default_credential": foreign.pk})

    gateway = Gateway.objects.get()
    assert response.status_code == 204
    assert response["HX-Redirect"] == "/gateways/"
    assert (gateway.team, gateway.base_url, gateway.version) == (
        team,
        "http://gw.local:8088",
        "8.1",
    )
    assert (gateway.tags, gateway.allow_concurrent_runs) == (["line1", "staging"], True)
    assert gateway.default_credential == credential
    assert again.status_code == 422
    assert "already exists" in again.content.decode()
    assert bad_url.status_code == 422
    assert "is not a gateway URL" in bad_url.content.decode()
    assert foreign_credential.status_code == 422
    assert "Select a valid choice" in foreign_credential.content.decode()


def test_edit_a_gateway(client, team, editor, credential):
    gateway = GatewayFactory(team=team, name="Primary", tags=["a", "b"])
    client = logged_in(client, editor)
    url = f"/gateways/{gateway.pk}/edit/"

    form = client.get(url, **HTMX).content.decode()
    page = client.get(url).content.decode()
    data = {**CREATE, "name": "Renamed", "default_credential": credential.pk}
    saved = client.post(url, data)
    invalid = client.post(url, {**data, "version": "9.9"}, **HTMX)
    refused = client.post(url, {**data, "base_url": "nope"}, **HTMX)

    assert 'value="Primary"' in form
    assert 'value="a, b"' in form
    assert "<html" not in form
    assert "<html" in page
    assert saved.status_code == 302
    assert invalid.status_code == 422
    assert refused.status_code == 422
    assert "is not a gateway URL" in refused.content.decode()
    gateway.refresh_from_db()
    assert (gateway.name, gateway.default_credential, gateway.version) == (
        "Renamed",
        credential,
        "8.1",
    )


def test_delete(client, team, editor):
    gateway = GatewayFactory(team=team, name="Primary")

    response = logged_in(client, editor).post(f"/gateways/{gateway.pk}/delete/", **HTMX)

    assert response.status_code == 204
    assert response["HX-Redirect"] == "/gateways/"
    assert Gateway.objects.count() == 0


@pytest.mark.parametrize("persona", ["viewer", "operator"])
def test_readers_cannot_change_gateways(request, client, team, persona):
    gateway = GatewayFactory(team=team, name="Primary")
    client = logged_in(client, request.getfixturevalue(persona))

    listing = client.get("/gateways/").content.decode()
    created = client.post("/gateways/new/", CREATE)
    edited = client.post(f"/gateways/{gateway.pk}/edit/", {**CREATE, "name": "Renamed"})
    deleted = client.post(f"/gateways/{gateway.pk}/delete/")

    assert "Add gateway" not in listing
    assert "Edit" not in listing
    assert (created.status_code, edited.status_code, deleted.status_code) == (403, 403, 403)
    gateway.refresh_from_db()
    assert Gateway.objects.count() == 1
    assert gateway.name == "Primary"


def test_ping_shows_the_result_inline(client, team, viewer, fake_gateway, closed_port_url):
    up = GatewayFactory(team=team, name="Up", base_url=fake_gateway.url)
    down = GatewayFactory(team=team, name="Down", base_url=closed_port_url)
    client = logged_in(client, viewer)

    ok = client.post(f"/gateways/{up.pk}/ping/", **HTMX)
    failed = client.post(f"/gateways/{down.pk}/ping/", **HTMX)

    assert ok.status_code == 200
    assert "probe-result ok" in ok.content.decode()
    assert "RUNNING" in ok.content.decode()
    assert failed.status_code == 200
    assert "probe-result bad" in failed.content.decode()


def test_a_refusal_outside_a_form_goes_back_to_the_list(client, team, viewer):
    broken = GatewayFactory(team=team, name="Broken", base_url="ftp://nowhere")

    response = logged_in(client, viewer).post(f"/gateways/{broken.pk}/ping/", follow=True)

    assert response.redirect_chain == [("/gateways/", 302)]
    assert "is not a gateway URL" in response.content.decode()
