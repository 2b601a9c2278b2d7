import pytest
from rest_framework.test import APIClient

from apps.playbooks.models import Preset
from tests.playbooks.factories import PlaybookFactory, PresetFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/presets/"


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_list_filtered_by_playbook(playbook, team, viewer, operator):
    preset = PresetFactory(playbook=playbook, owner=operator, values={"retries": 2})
    PresetFactory(playbook=PlaybookFactory(team=team), owner=operator)

    response = client_for(viewer).get(URL, {"playbook": playbook.pk})

    assert response.json()["results"] == [
        {
            "id": preset.pk,
            "playbook": playbook.pk,
            "name": preset.name,
            "values": {"retries": 2},
            "owner": "oscar-operator",
            "shared": True,
            "created_at": response.json()["results"][0]["created_at"],
            "updated_at": response.json()["results"][0]["updated_at"],
        }
    ]


def test_list_query_count_does_not_grow(playbook, operator, django_assert_num_queries):
    PresetFactory.create_batch(5, playbook=playbook, owner=operator)
    client = client_for(operator)

    with django_assert_num_queries(3):
        response = client.get(URL)

    assert len(response.json()["results"]) == 5


def test_access_triad(playbook, operator, outsider):
    preset = PresetFactory(playbook=playbook, owner=operator, name="p")

    assert client_for(outsider).get(URL).json()["results"] == []
    assert client_for(outsider).get(URL, {"playbook": playbook.pk}).status_code == 404
    assert client_for(outsider).patch(f"{URL}{preset.pk}/", {"name": "x"}).status_code == 404
    assert client_for(outsider).delete(f"{URL}{preset.pk}/").status_code == 404
    assert client_for().get(URL).status_code == 403
    assert (
        client_for(outsider)
        .post(URL, {"playbook": playbook.pk, "name": "x"}, format="json")
        .status_code
        == 404
    )
    assert list(Preset.objects.values_list("name", flat=True)) == ["p"]


def test_create_update_delete(playbook, operator, credential):
    client = client_for(operator)

    created = client.post(
        URL,
        {"playbook": playbook.pk, "name": "Plant", "values": {"login": "line1-gateway"}},
        format="json",
    )
    preset_id = created.json()["id"]
    changed = client.patch(f"{URL}{preset_id}/", {"shared": True}, format="json")
    deleted = client.delete(f"{URL}{preset_id}/")

    assert (created.status_code, changed.status_code, deleted.status_code) == (201, 200, 204)
    assert created.json()["values"] == {"login": "line1-gateway"}
    assert changed.json()["shared"] is True
    assert Preset.objects.count() == 0


def test_viewer_cannot_create(playbook, viewer):
    response = client_for(viewer).post(URL, {"playbook": playbook.pk, "name": "p"}, format="json")

    assert response.status_code == 403
    assert Preset.objects.count() == 0


def test_invalid_values_are_a_400(playbook, operator):
    response = client_for(operator).post(
        URL, {"playbook": playbook.pk, "name": "p", "values": {"retries": "x"}}, format="json"
    )

    assert (response.status_code, response.json()) == (
        400,
        {"detail": "Parameter 'retries' needs a integer value."},
    )


def test_a_bad_playbook_filter_answers_400(operator):
    response = client_for(operator).get(URL, {"playbook": "abc"})

    assert (response.status_code, response.json()) == (
        400,
        {"playbook": ["A valid integer is required."]},
    )
