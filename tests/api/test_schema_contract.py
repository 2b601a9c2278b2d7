"""What the schema promises, checked directly: nullable fields, declared errors and bodies, and
the API keeping to them (null for no email, JSON types, page numbers, JSON 404s)."""

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from apps.core.schema import ERRORS
from tests.playbooks.factories import PlaybookFactory

pytestmark = pytest.mark.django_db

NULLABLE = {
    "PlaybookOutput": ["verified_by", "revision", "verified_at"],
    "PlaybookVersionOutput": ["author"],
    "PresetOutput": ["owner"],
    "CredentialOutput": ["owner"],
    "GatewayOutput": ["default_credential_name", "default_credential"],
    "ExecutionOutput": ["requested_by", "gateway"],
    "StepRunOutput": ["parent_path"],
    "ScheduleOutput": ["gateway_name", "created_by", "last_execution_status"],
    "MeOutput": ["email"],
}


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


@pytest.fixture
def api(editor):
    client = APIClient()
    client.force_authenticate(editor)
    return client


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield f"{method.upper()} {path}", operation


@pytest.mark.parametrize(("component", "fields"), NULLABLE.items())
def test_fields_that_can_be_null_say_so(schema, component, fields):
    properties = schema["components"]["schemas"][component]["properties"]

    assert {field: properties[field].get("nullable") for field in fields} == dict.fromkeys(
        fields, True
    )


def test_every_operation_declares_the_errors_of_its_kind(schema):
    missing = {}
    for label, operation in operations(schema):
        expected = set()
        if not label.startswith("POST /api/v1/auth/"):
            expected.add("403")
        if "{" in label:
            expected.add("404")
        if "requestBody" in operation:
            expected.update({"400", "413", "415"})
        if expected - operation["responses"].keys():
            missing[label] = sorted(expected - operation["responses"].keys())

    assert missing == {}


SET_IMPORT = "POST /api/v1/playbooks/import-set/"


def test_declared_errors_have_the_error_body(schema):
    """All but the set import's 422, which is its per-file answer (some files failed)."""
    bodies = {
        code: response["content"]["application/json"]["schema"]["$ref"]
        for label, operation in operations(schema)
        for code, response in operation["responses"].items()
        if code.startswith("4") and (label, code) != (SET_IMPORT, "422")
    }
    set_import = dict(operations(schema))[SET_IMPORT]["responses"]["422"]

    assert set(bodies) == {str(code) for code in ERRORS}
    assert bodies.pop("400") == "#/components/schemas/ValidationError"
    assert set(bodies.values()) == {"#/components/schemas/Error"}
    assert set_import["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/SetImportOutput"
    }


def test_operations_that_answer_conflicts_declare_them(schema):
    labels = {label for label, operation in operations(schema) if "409" in operation["responses"]}

    assert {
        "DELETE /api/v1/playbooks/{id}/",
        "PUT /api/v1/playbooks/{id}/",
        "POST /api/v1/executions/{id}/cancel/",
        "POST /api/v1/presets/",
        "POST /api/v1/gateways/",
    } <= labels


def test_the_export_declares_its_yaml_document_and_its_json_object(schema):
    content = schema["paths"]["/api/v1/playbooks/{id}/export/"]["get"]["responses"]["200"]
    content = content["content"]

    assert content["application/yaml"]["schema"]["type"] == "object"
    assert content["application/json"]["schema"] == {
        "$ref": "#/components/schemas/PlaybookExportOutput"
    }


def test_request_bodies_are_json_except_the_uploads(schema):
    media = {
        label: sorted(operation["requestBody"]["content"])
        for label, operation in operations(schema)
        if "requestBody" in operation
    }

    assert media.pop("POST /api/v1/playbooks/import/") == [
        "application/json",
        "multipart/form-data",
    ]
    assert media.pop("POST /api/v1/playbooks/import-set/") == ["multipart/form-data"]
    assert media.pop("POST /api/v1/files/") == ["multipart/form-data"]
    assert set(map(tuple, media.values())) == {("application/json",)}


def test_no_email_is_null(api, editor):
    editor.email = ""
    editor.save(update_fields=["email"])

    assert api.get("/api/v1/me/").json()["email"] is None


def test_json_values_of_another_type_are_refused(api, team):
    playbook = PlaybookFactory(team=team)
    url = f"/api/v1/playbooks/{playbook.pk}/"

    verified = api.post(f"{url}verify/", {"verified": 0}, format="json")
    restored = api.post(f"{url}restore/", {"revision": 1, "change_note": 0}, format="json")
    created = api.post("/api/v1/playbooks/", {"name": 5}, format="json")
    gateway = {"name": "gw", "base_url": "http://gw", "tags": ["line", 1]}
    tagged = api.post("/api/v1/gateways/", gateway, format="json")

    assert (verified.status_code, verified.json()) == (
        400,
        {"verified": ["Expected true or false, got int."]},
    )
    assert restored.json() == {"change_note": ["Expected text, got int."]}
    assert created.json() == {"name": ["Expected text, got int."]}
    assert tagged.json() == {"tags": ["Expected text, got int."]}


def test_names_with_control_characters_are_refused(api, team):
    playbook = PlaybookFactory(team=team)
    body = {"playbook": playbook.pk, "name": "night\nshift"}

    response = api.post("/api/v1/presets/", body, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "name": ["Control characters (line breaks, tabs, …) are not allowed here."]
    }


@pytest.mark.parametrize("page", ["", "last", "0", "x"])
def test_a_page_that_is_not_a_page_number_is_not_found(api, page):
    response = api.get(f"/api/v1/playbooks/?page={page}")

    assert (response.status_code, response.json()) == (404, {"detail": "Invalid page."})


def test_an_unrouted_api_path_is_a_json_404(api):
    response = api.get("/api/v1/playbooks/1.yaml/")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found: no API operation at this path."}
