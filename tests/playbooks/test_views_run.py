"""The Run dialog: typed inputs, per-field errors, presets, and starting a run."""

import pytest

from apps.executions.models import Execution
from apps.playbooks.models import Playbook, Preset
from tests.credentials.factories import CredentialFactory
from tests.credentials.fixtures import KNOWN_SECRET
from tests.gateways.factories import GatewayFactory
from tests.playbooks.factories import PlaybookFactory, PresetFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
TYPED = """name: Typed run
version: "2.0"
description: Every input type.
domain: gateway
parameters:
  - name: gateway_url
    type: string
    required: true
  - name: login
    type: credential
  - name: retries
    type: integer
    default: 1
  - name: ratio
    type: float
  - name: signed
    type: boolean
    default: true
  - name: tags
    type: list
  - name: options
    type: dict
  - name: module_file
    type: file
  - name: password
    type: string
    secret: true
steps:
  - id: hello
    name: Say hello
    type: utility.log
    parameters:
      message: "Hi {{ parameter.gateway_url }}"
"""
VALUES = {
    "param-gateway_url": "http://gw.local:8088",
    "param-login": "line1-gateway",
    "param-retries": "3",
    "param-ratio": "0.5",
    "param-signed": ["false", "true"],
    "param-tags": '["a", "b"]',
    "param-options": '{"mode": "fast"}',
    "param-module_file": "/data/x.modl",
    "param-password": "hunter2",
}


@pytest.fixture
def typed(team):
    return PlaybookFactory(team=team, name="Typed run", path="gateway/typed.yaml", yaml_text=TYPED)


def logged_in(client, user):
    client.force_login(user)
    return client


def test_dialog_has_one_typed_input_per_parameter(client, typed, operator, credential, other_team):
    CredentialFactory(team=other_team, name="other-teams-login")
    GatewayFactory(team=typed.team, name="Line 1 gateway")
    client = logged_in(client, operator)

    fragment = client.get(f"/playbooks/{typed.pk}/run/", **HTMX).content.decode()
    page = client.get(f"/playbooks/{typed.pk}/run/").content.decode()

    assert "<html" not in fragment
    assert "<html" in page
    assert '<option value="line1-gateway">' in fragment
    assert "other-teams-login" not in fragment
    assert 'type="number" id="run-retries" name="param-retries" value="1" step="1"' in fragment
    assert 'step="any"' in fragment
    assert 'role="switch" id="run-signed"' in fragment
    assert 'value="true" checked' in fragment
    assert 'name="param-tags" rows="3" class="code"' in fragment
    assert 'id="run-module_file-library" name="param-module_file-library"' in fragment
    assert 'type="file" id="run-module_file-upload"' in fragment
    assert "Or a file on the worker" in fragment
    assert "Line 1 gateway" in fragment
    assert 'name="debug"' in fragment
    assert KNOWN_SECRET not in fragment


def test_start_run_goes_to_the_run_page(client, typed, operator, credential):
    gateway = GatewayFactory(team=typed.team)
    data = {**VALUES, "gateway": gateway.pk, "debug": "on", "action": "run"}

    response = logged_in(client, operator).post(f"/playbooks/{typed.pk}/run/", data, **HTMX)

    execution = Execution.objects.get()
    assert response.status_code == 204
    assert response["HX-Redirect"] == f"/executions/{execution.pk}/"
    assert (execution.requested_by, execution.gateway, execution.debug) == (operator, gateway, True)
    assert execution.parameters == {
        "gateway_url": "http://gw.local:8088",
        "login": "line1-gateway",
        "retries": 3,
        "ratio": 0.5,
        "signed": True,
        "tags": ["a", "b"],
        "options": {"mode": "fast"},
        "module_file": "/data/x.modl",
        "password": "$encrypted$",
    }
    assert execution.secret_parameters_values() == {"password": "hunter2"}


def test_plain_form_post_redirects_to_the_run_page(client, typed, operator, credential):
    data = {**VALUES, "param-signed": "false", "param-retries": ""}
    response = logged_in(client, operator).post(f"/playbooks/{typed.pk}/run/", data)

    execution = Execution.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/executions/{execution.pk}/"
    assert execution.parameters["signed"] is False
    assert execution.parameters["retries"] == 1


def test_wrong_values_are_shown_next_to_their_inputs(client, typed, operator):
    data = {
        **VALUES,
        "param-gateway_url": "",
        "param-retries": "many",
        "param-tags": "[not json",
        "param-options": "[1]",
        "param-login": "nobody",
    }
    response = logged_in(client, operator).post(f"/playbooks/{typed.pk}/run/", data, **HTMX)

    body = response.content.decode()
    assert response.status_code == 422
    assert '<p class="field-error" role="alert">Is required</p>' in body
    assert "Must be a whole number, not &#x27;many&#x27;" in body
    assert "Must be a list written as JSON (e.g. [1, 2]), not &#x27;[not json&#x27;" in body
    assert "Must be a mapping, not a list" in body
    assert "No credential named &#x27;nobody&#x27; in this team" in body
    assert "[not json</textarea>" in body
    assert Execution.objects.count() == 0


def test_disabled_playbook_or_foreign_gateway_does_not_run(client, typed, operator, other_team):
    Playbook.objects.filter(pk=typed.pk).update(enabled=False)
    client = logged_in(client, operator)
    foreign = GatewayFactory(team=other_team)

    disabled = client.post(f"/playbooks/{typed.pk}/run/", VALUES, **HTMX)
    elsewhere = client.post(f"/playbooks/{typed.pk}/run/", {**VALUES, "gateway": foreign.pk})

    assert disabled.status_code == 422
    assert "is disabled" in disabled.content.decode()
    assert elsewhere.status_code == 404
    assert Execution.objects.count() == 0


@pytest.mark.parametrize("persona", ["viewer", "editor"])
def test_only_operators_start_runs(request, client, typed, persona):
    client = logged_in(client, request.getfixturevalue(persona))

    dialog = client.get(f"/playbooks/{typed.pk}/run/", **HTMX).content.decode()
    response = client.post(f"/playbooks/{typed.pk}/run/", VALUES, **HTMX)

    assert "needs the operator role" in dialog
    assert 'data-testid="start-run" disabled' in dialog
    assert response.status_code == 403
    assert Execution.objects.count() == 0


def test_save_as_load_update_and_delete_a_preset(client, typed, operator, credential):
    client = logged_in(client, operator)
    url = f"/playbooks/{typed.pk}/run/"
    data = {**VALUES, "action": "save_as", "preset_name": "Line 1 nightly", "preset_shared": "on"}

    created = client.post(url, data, **HTMX)
    preset = Preset.objects.get()
    loaded = client.get(url, {"preset": preset.pk}, **HTMX).content.decode()
    updated = client.post(
        url, {**VALUES, "param-retries": "7", "action": "save", "preset": preset.pk}
    )
    preset.refresh_from_db()
    retries = preset.values["retries"]
    deleted = client.post(url, {"action": "delete", "preset": preset.pk}, **HTMX)

    assert created.status_code == 200
    assert "Preset “Line 1 nightly” saved." in created.content.decode()
    assert (preset.name, preset.owner, preset.shared) == ("Line 1 nightly", operator, True)
    assert preset.values["password"] == "$encrypted$"  # the value itself is encrypted
    assert preset.secret_values_dict() == {"password": "hunter2"}
    assert f'<option value="{preset.pk}" selected>Line 1 nightly · shared</option>' in loaded
    assert 'value="http://gw.local:8088"' in loaded
    assert "hunter2" not in loaded
    assert "{\n  &quot;mode&quot;: &quot;fast&quot;\n}</textarea>" in loaded
    assert updated.status_code == 200
    assert retries == 7
    assert "deleted" in deleted.content.decode()
    assert Preset.objects.count() == 0
    assert Execution.objects.count() == 0


def test_preset_problems_are_shown(client, typed, operator, credential):
    client = logged_in(client, operator)
    url = f"/playbooks/{typed.pk}/run/"

    no_name = client.post(url, {**VALUES, "action": "save_as", "preset_name": " "}, **HTMX)
    bad_value = client.post(url, {**VALUES, "action": "save_as", "param-retries": "x"}, **HTMX)
    no_preset = client.post(url, {**VALUES, "action": "save"}, **HTMX)

    assert no_name.status_code == 422
    assert "A preset needs a name" in no_name.content.decode()
    assert bad_value.status_code == 422
    assert "Must be a whole number" in bad_value.content.decode()
    assert no_preset.status_code == 404
    assert Preset.objects.count() == 0


def test_presets_of_other_playbooks_or_users_are_not_found(client, typed, playbook, operator):
    elsewhere = PresetFactory(playbook=playbook, name="Elsewhere")
    private = PresetFactory(playbook=typed, name="Private", shared=False)
    client = logged_in(client, operator)

    assert client.get(f"/playbooks/{typed.pk}/run/", {"preset": elsewhere.pk}).status_code == 404
    assert client.get(f"/playbooks/{typed.pk}/run/", {"preset": private.pk}).status_code == 404
    data = {"action": "delete", "preset": private.pk}
    assert client.post(f"/playbooks/{typed.pk}/run/", data).status_code == 404
    assert Preset.objects.count() == 2


def test_viewer_cannot_save_presets(client, typed, viewer, credential):
    data = {**VALUES, "action": "save_as", "preset_name": "Mine"}
    response = logged_in(client, viewer).post(f"/playbooks/{typed.pk}/run/", data, **HTMX)

    assert response.status_code == 403
    assert Preset.objects.count() == 0
