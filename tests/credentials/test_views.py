"""The credentials page: list, add, edit, delete, test connection; secrets never come back."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.credentials.models import Credential
from tests.credentials.factories import CredentialFactory
from tests.credentials.fixtures import KNOWN_SECRET

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
NEW_SECRET = "n3w-S3CRET-never-shown"
CREATE = {
    "name": "line1-admin",
    "kind": "username_password",
    "username": "admin",
    "secret": NEW_SECRET,
    "gateway_url": "http://gw.local:8088/",
    "shared": "on",
}


def logged_in(client, user):
    client.force_login(user)
    return client


def urls(pk):
    return [f"/credentials/{pk}/edit/", f"/credentials/{pk}/delete/", f"/credentials/{pk}/test/"]


def test_list_shows_shared_and_own_credentials_without_secrets(
    client, credential, team, other_team, editor, operator
):
    CredentialFactory(team=team, name="oscars-own", owner=operator, shared=False)
    CredentialFactory(team=team, name="someone-elses", shared=False)
    CredentialFactory(team=other_team, name="other-team-login")

    body = logged_in(client, operator).get("/credentials/").content.decode()

    assert "line1-gateway" in body
    assert "oscars-own" in body
    assert "Private · oscar-operator" in body
    assert "someone-elses" not in body
    assert "other-team-login" not in body
    assert "Username and password" in body
    assert "Test connection" in body
    assert KNOWN_SECRET not in body
    assert "Add credential" not in body


def test_editors_get_the_add_edit_and_delete_controls(client, credential, editor):
    body = logged_in(client, editor).get("/credentials/").content.decode()

    assert "Add credential" in body
    assert 'hx-get="/credentials/' in body
    assert "Delete" in body
    assert 'type="password" name="secret"' in body
    assert KNOWN_SECRET not in body


def test_list_query_count_does_not_grow(client, team, editor):
    client = logged_in(client, editor)
    CredentialFactory.create_batch(2, team=team)
    with CaptureQueriesContext(connection) as few:
        client.get("/credentials/")
    CredentialFactory.create_batch(8, team=team)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/credentials/")

    assert response.content.decode().count('<tr id="credential-') == 10
    assert len(many) == len(few) <= 10


def test_access_triad(client, credential, outsider):
    for url in ["/credentials/", *urls(credential.pk)]:
        assert client.get(url).status_code == 302, url
        assert client.post(url).status_code == 302, url
    client = logged_in(client, outsider)
    for url in urls(credential.pk):
        assert client.post(url, {"username": "x", "secret": "y"}).status_code == 404, url
    assert client.get(f"/credentials/{credential.pk}/edit/").status_code == 404
    credential.refresh_from_db()
    assert (credential.username, credential.secret) == ("admin", KNOWN_SECRET)


def test_add_a_credential(client, team, editor):
    client = logged_in(client, editor)

    response = client.post("/credentials/new/", CREATE, **HTMX)
    again = client.post("/credentials/new/", CREATE, **HTMX)
    invalid = client.post("/credentials/new/", {**CREATE, "name": ""}, **HTMX)
    bad_url = client.post("/credentials/new/", {**CREATE, "name": "x", "gateway_url": "ftp://x"})

    created = Credential.objects.get()
    assert response.status_code == 204
    assert response["HX-Redirect"] == "/credentials/"
    assert (created.team, created.owner, created.shared) == (team, editor, True)
    assert (created.secret, created.gateway_url) == (NEW_SECRET, "http://gw.local:8088")
    assert again.status_code == 422
    assert "already exists" in again.content.decode()
    assert invalid.status_code == 422
    assert "This field is required" in invalid.content.decode()
    assert bad_url.status_code == 422
    assert "is not a gateway URL" in bad_url.content.decode()
    for answer in (response, again, invalid, bad_url):
        assert NEW_SECRET not in answer.content.decode()


def test_edit_keeps_the_secret_unless_a_new_one_is_given(client, credential, editor):
    client = logged_in(client, editor)
    url = f"/credentials/{credential.pk}/edit/"

    form = client.get(url, **HTMX).content.decode()
    page = client.get(url).content.decode()
    kept = client.post(url, {"username": "root", "secret": "", "gateway_url": ""})
    credential.refresh_from_db()
    kept_secret, kept_username = credential.secret, credential.username
    client.post(url, {"username": "root", "secret": "$encrypted$"})
    credential.refresh_from_db()
    placeholder_secret = credential.secret
    changed = client.post(url, {"username": "root", "secret": NEW_SECRET}, **HTMX)
    invalid = client.post(url, {"username": "", "secret": NEW_SECRET}, **HTMX)

    assert 'value="admin"' in form
    assert "<html" not in form
    assert "<html" in page
    assert 'type="password" name="secret"' in form
    assert KNOWN_SECRET not in form + page
    assert kept.status_code == 302
    assert (kept_secret, kept_username) == (KNOWN_SECRET, "root")
    assert placeholder_secret == KNOWN_SECRET
    assert changed.status_code == 204
    assert invalid.status_code == 422
    assert "needs a username" in invalid.content.decode()
    assert NEW_SECRET not in invalid.content.decode()
    credential.refresh_from_db()
    assert (credential.secret, credential.username) == (NEW_SECRET, "root")


def test_delete(client, credential, editor):
    response = logged_in(client, editor).post(f"/credentials/{credential.pk}/delete/", follow=True)

    assert "Deleted credential line1-gateway" in response.content.decode()
    assert Credential.objects.count() == 0


@pytest.mark.parametrize("persona", ["viewer", "operator"])
def test_readers_cannot_change_credentials(request, client, credential, persona):
    client = logged_in(client, request.getfixturevalue(persona))

    listing = client.get("/credentials/").content.decode()
    created = client.post("/credentials/new/", CREATE)
    edited = client.post(f"/credentials/{credential.pk}/edit/", {"username": "x", "secret": "y"})
    deleted = client.post(f"/credentials/{credential.pk}/delete/")

    assert "Add credential" not in listing
    assert "Edit" not in listing
    assert (created.status_code, edited.status_code, deleted.status_code) == (403, 403, 403)
    credential.refresh_from_db()
    assert Credential.objects.count() == 1
    assert (credential.username, credential.secret) == ("admin", KNOWN_SECRET)


def test_private_credentials_of_others_cannot_be_changed(client, team, editor):
    private = CredentialFactory(team=team, name="private", shared=False)

    response = logged_in(client, editor).post(f"/credentials/{private.pk}/delete/")

    assert response.status_code == 404
    assert Credential.objects.filter(pk=private.pk).exists()


def test_test_connection_shows_the_result_inline(
    client, team, credential, operator, fake_gateway, closed_port_url
):
    reachable = CredentialFactory(team=team, name="up", gateway_url=fake_gateway.url)
    down = CredentialFactory(team=team, name="down", gateway_url=closed_port_url)
    client = logged_in(client, operator)

    ok = client.post(f"/credentials/{reachable.pk}/test/", **HTMX)
    failed = client.post(f"/credentials/{down.pk}/test/", **HTMX)
    no_url = client.post(f"/credentials/{credential.pk}/test/", **HTMX)

    assert ok.status_code == 200
    assert "probe-result ok" in ok.content.decode()
    assert "RUNNING" in ok.content.decode()
    assert failed.status_code == 200
    assert "probe-result bad" in failed.content.decode()
    assert no_url.status_code == 422
    assert "has no gateway URL" in no_url.content.decode()
    for answer in (ok, failed, no_url):
        assert KNOWN_SECRET not in answer.content.decode()


def test_ai_keys_have_nothing_to_test(client, team, editor):
    ai_key = CredentialFactory(team=team, name="ai", kind="ai_api_key", gateway_url="")

    response = logged_in(client, editor).post(f"/credentials/{ai_key.pk}/test/", **HTMX)

    assert response.status_code == 422
    assert "no gateway to test" in response.content.decode()


def test_a_member_of_several_teams_chooses_the_team(client, team, other_team, editor):
    editor.teams.add(other_team)
    client = logged_in(client, editor)

    listing = client.get("/credentials/").content.decode()
    unchosen = client.post("/credentials/new/", CREATE, **HTMX)
    chosen = client.post("/credentials/new/", {**CREATE, "team": other_team.pk}, **HTMX)

    assert f'<option value="{other_team.pk}">Line 2</option>' in listing
    assert unchosen.status_code == 422
    assert "This field is required" in unchosen.content.decode()
    assert chosen.status_code == 204
    assert Credential.objects.get().team == other_team


def test_edit_rejects_too_long_values(client, credential, editor):
    url = f"/credentials/{credential.pk}/edit/"
    response = logged_in(client, editor).post(url, {"username": "x" * 200}, **HTMX)

    assert response.status_code == 422
    credential.refresh_from_db()
    assert credential.username == "admin"
