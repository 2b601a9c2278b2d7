"""A known secret must not be findable in clear in the database, API, admin, exports or logs."""

import logging

import pytest
from django.db import connection
from rest_framework.test import APIClient

from apps.credentials.models import Credential
from tests.gateways.fixtures import Route
from tests.playbooks.factories import PlaybookFactory, playbook_yaml

pytestmark = pytest.mark.django_db

SECRET = "k9-UNIQUE-needle-Secret-3141"
TOKEN = f"toolkit:{SECRET}"


def _all_rows_as_text() -> str:
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608 (introspected names)
            chunks.append(repr(cursor.fetchall()))
    return "\n".join(chunks)


def _api_responses(client: APIClient, team, fake_gateway) -> list[bytes]:
    created = client.post(
        "/api/v1/credentials/",
        {"name": "vault-gw", "kind": "api_token", "secret": TOKEN, "gateway_url": fake_gateway.url},
        format="json",
    )
    credential_id = created.json()["id"]
    playbook = PlaybookFactory(
        team=team, yaml_text=playbook_yaml(message="{{ credential.vault-gw.username }}")
    )
    gateway = client.post(
        "/api/v1/gateways/",
        {"name": "gw", "base_url": fake_gateway.url, "default_credential": credential_id},
        format="json",
    )
    responses = [
        created,
        client.get("/api/v1/credentials/"),
        client.get(f"/api/v1/credentials/{credential_id}/"),
        client.patch(f"/api/v1/credentials/{credential_id}/", {"description": "x"}, format="json"),
        client.post(f"/api/v1/credentials/{credential_id}/test-connection/"),
        gateway,
        client.get("/api/v1/gateways/"),
        client.post(f"/api/v1/gateways/{gateway.json()['id']}/ping/"),
        client.post(
            "/api/v1/presets/",
            {"playbook": playbook.pk, "name": "p", "values": {"login": "vault-gw"}},
            format="json",
        ),
        client.get("/api/v1/presets/"),
        client.get(f"/api/v1/playbooks/{playbook.pk}/"),
        client.get(f"/api/v1/playbooks/{playbook.pk}/export/"),
        client.get(f"/api/v1/playbooks/{playbook.pk}/export/", {"file_format": "json"}),
        client.get("/api/v1/schema/"),
    ]
    assert [r.status_code for r in responses] == [201, 200, 200, 200, 200, 201, 200, 200, 201] + [
        200
    ] * 5
    return [r.content for r in responses]


def _admin_pages(client, credential_id: int) -> list[bytes]:
    pages = [
        "/admin/credentials/credential/",
        f"/admin/credentials/credential/{credential_id}/change/",
        "/admin/credentials/credential/add/",
        "/admin/gateways/gateway/",
        "/admin/playbooks/playbook/",
        "/admin/playbooks/preset/",
        f"/admin/credentials/credential/{credential_id}/history/",
    ]
    responses = [client.get(page) for page in pages]
    assert [r.status_code for r in responses] == [200] * len(pages)
    return [r.content for r in responses]


def test_the_secret_is_nowhere_in_clear(client, team, editor, admin_user, fake_gateway, caplog):
    caplog.set_level(logging.DEBUG)
    fake_gateway.routes["/data/api/v1/gateway-info"] = Route(
        body={"name": "gw", "ignitionVersion": "8.3.6"}
    )
    api = APIClient()
    api.force_authenticate(editor)
    client.force_login(admin_user)

    contents = _api_responses(api, team, fake_gateway)
    credential = Credential.objects.get()
    contents += _admin_pages(client, credential.pk)

    assert credential.secret == TOKEN
    assert fake_gateway.requests[-2][1]["X-Ignition-API-Token"] == TOKEN
    for content in contents:
        assert SECRET.encode() not in content
    assert SECRET not in _all_rows_as_text()
    assert SECRET not in caplog.text
    assert SECRET not in repr(credential)
    assert SECRET not in str(credential)
