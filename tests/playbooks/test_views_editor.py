"""The playbook detail page's editors: live YAML validation, saving, versions, one step."""

import pytest
import yaml

from apps.playbooks.services import playbook_update
from tests.credentials.fixtures import KNOWN_SECRET
from tests.playbooks.factories import PlaybookFactory, playbook_yaml

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
BROKEN = "name: Broken\nversion: '1'\nsteps:\n  - id: a\n    name: A\n    type: utility.lgo\n"
VARIABLES = """name: Variables
version: "1"
steps:
  - id: remember
    name: Remember
    type: utility.set_variable
    parameters:
      name: cfg
      value: {"a": [1, 2]}
  - id: flag
    name: Flag
    type: utility.set_variable
    parameters:
      name: enabled
      value: true
  - id: child
    name: Child
    type: playbook.run
    parameters:
      playbook: gateway/child.yaml
      gateway_url: http://child.local
  - id: shout
    name: Shout
    type: utility.log
    parameters:
      message: "%s"
""" % ("A long message " * 8)


def logged_in(client, user):
    client.force_login(user)
    return client


def playbook_step(playbook, index: int = 0) -> dict:
    return yaml.safe_load(playbook.current_version.yaml_text)["steps"][index]


def test_live_validation_reports_line_and_column(client, playbook, viewer):
    client = logged_in(client, viewer)
    url = f"/playbooks/{playbook.pk}/validate/"

    broken = client.post(url, {"yaml_text": BROKEN}, **HTMX).content.decode()
    valid = client.post(url, {"yaml_text": playbook_yaml()}, **HTMX).content.decode()
    not_yaml = client.post(url, {"yaml_text": "steps: [unclosed"}, **HTMX).content.decode()

    assert 'data-line="6"' in broken
    assert "Line 6, column 11" in broken
    assert "Unknown step type" in broken
    assert "step a" in broken
    assert "Valid: 1 step, 3 parameters" in valid
    assert "1 problem" in not_yaml
    assert "data-goto-line" in not_yaml


def test_save_yaml(client, playbook, editor):
    client = logged_in(client, editor)
    url = f"/playbooks/{playbook.pk}/yaml/"
    changed = playbook_yaml(message="Bonjour")

    saved = client.post(url, {"yaml_text": changed, "change_note": "French", "base_revision": 1})
    same = client.post(url, {"yaml_text": changed}, follow=True)
    stale = client.post(
        url, {"yaml_text": playbook_yaml(message="Ciao"), "base_revision": 1}, **HTMX
    )
    invalid = client.post(url, {"yaml_text": BROKEN}, **HTMX)
    empty = client.post(url, {"yaml_text": ""}, **HTMX)

    playbook.refresh_from_db()
    assert saved.status_code == 302
    assert (playbook.current_version.revision, playbook.current_version.change_note) == (
        2,
        "French",
    )
    assert "Bonjour" in playbook.current_version.yaml_text
    assert "Nothing changed" in same.content.decode()
    assert stale.status_code == 422
    assert "changed since revision 1" in stale.content.decode()
    assert invalid.status_code == 422
    assert "Line 6, column 11" in invalid.content.decode()
    assert empty.status_code == 422
    assert "required" in empty.content.decode()
    assert playbook.versions.count() == 2


def test_versions_diff_and_restore(client, playbook, editor):
    playbook_update(playbook, actor=editor, yaml_text=playbook_yaml(message="Bonjour"))
    client = logged_in(client, editor)

    diff = client.get(f"/playbooks/{playbook.pk}/diff/", {"from": 1, "to": 2}, **HTMX)
    page = client.get(f"/playbooks/{playbook.pk}/diff/", {"from": 2})
    bad = client.get(f"/playbooks/{playbook.pk}/diff/", {"from": "one"})
    missing = client.get(f"/playbooks/{playbook.pk}/diff/", {"from": 9})
    restored = client.post(f"/playbooks/{playbook.pk}/restore/", {"revision": "1"})
    no_revision = client.post(f"/playbooks/{playbook.pk}/restore/", {"revision": ""})

    body = diff.content.decode()
    assert '<span class="diff-line diff-removed">-      message: &quot;Hello' in body
    assert '<span class="diff-line diff-added">+      message: &quot;Bonjour' in body
    assert "diff-hunk" in body
    assert "<html" not in body
    assert "No differences" in page.content.decode()
    assert "<html" in page.content.decode()
    assert bad.status_code == 404
    assert missing.status_code == 404
    assert no_revision.status_code == 404
    playbook.refresh_from_db()
    assert restored.status_code == 302
    assert playbook.current_version.revision == 3
    assert playbook.current_version.yaml_text == playbook.versions.get(revision=1).yaml_text


def test_step_form_editor(client, playbook, editor, credential):
    client = logged_in(client, editor)
    url = f"/playbooks/{playbook.pk}/steps/hello/"

    form = client.get(url, **HTMX).content.decode()
    sleep_form = client.get(url, {"type": "utility.sleep"}).content.decode()
    data = {"id": "hello", "name": "Greet", "type": "utility.log", "param-message": "Hi there"}
    saved = client.post(
        url, {**data, "param-level": "warning", "timeout": "30", "base_revision": 1}
    )
    invalid = client.post(url, {**data, "param-level": "loud"}, **HTMX)

    assert 'name="param-message"' in form
    assert '<option value="warning">' in form
    assert "Log a message" in form
    assert "<html" not in form
    assert 'name="param-seconds"' in sleep_form
    assert "<html" in sleep_form
    assert saved.status_code == 302
    assert saved["Location"].endswith("#steps")
    playbook.refresh_from_db()
    step = playbook_step(playbook)
    assert step == {
        "id": "hello",
        "name": "Greet",
        "type": "utility.log",
        "parameters": {"message": "Hi there", "level": "warning"},
        "timeout": 30,
    }
    assert invalid.status_code == 422
    assert "loud" in invalid.content.decode()
    assert playbook.versions.count() == 2
    assert KNOWN_SECRET not in form


def test_step_editor_unknown_step_or_type_is_not_found(client, playbook, editor):
    client = logged_in(client, editor)

    assert client.get(f"/playbooks/{playbook.pk}/steps/nope/").status_code == 404
    assert client.get(f"/playbooks/{playbook.pk}/steps/hello/", {"type": "x.y"}).status_code == 404


def test_step_editor_keeps_value_types(client, team, editor):
    playbook = PlaybookFactory(team=team, path="gateway/variables.yaml", yaml_text=VARIABLES)
    PlaybookFactory(team=team, path="gateway/child.yaml")
    client = logged_in(client, editor)
    url = f"/playbooks/{playbook.pk}/steps/"

    remember = client.get(url + "remember/", **HTMX).content.decode()
    flag = client.get(url + "flag/", **HTMX).content.decode()
    shout = client.get(url + "shout/", **HTMX).content.decode()
    restart = client.get(url + "flag/", {"type": "gateway.restart"}, **HTMX).content.decode()
    common = {"name": "Remember", "type": "utility.set_variable", "param-name": "cfg"}
    client.post(url + "remember/", {**common, "id": "remember", "param-value": "{unclosed"})
    client.post(url + "flag/", {**common, "id": "flag", "param-value": "2.0"})
    client.post(
        url + "shout/",
        {"id": "shout", "name": "S", "type": "utility.sleep", "param-seconds": "2.5"},
    )

    child = {"id": "child", "name": "Child", "type": "playbook.run"}
    client.post(url + "child/", {**child, "param-playbook": "gateway/child.yaml"})
    sleep = client.get(url + "shout/", **HTMX).content.decode()

    playbook.refresh_from_db()
    assert ">{&quot;a&quot;: [1, 2]}</textarea>" in remember
    assert 'name="param-seconds" value="2.5"' in sleep
    assert ">true</textarea>" in flag
    assert 'name="param-message" rows="3"' in shout
    assert '<option value="">Default: false</option><option value="true">true</option>' in restart
    assert playbook_step(playbook, 0)["parameters"]["value"] == "{unclosed"
    assert playbook_step(playbook, 1)["parameters"]["value"] == 2
    assert playbook_step(playbook, 2)["parameters"] == {
        "gateway_url": "http://child.local",
        "playbook": "gateway/child.yaml",
    }
    assert playbook_step(playbook, 3)["parameters"] == {"seconds": 2.5}


def test_step_editor_types_values_like_a_launch_and_refuses_in_its_words(client, playbook, editor):
    client = logged_in(client, editor)
    url = f"/playbooks/{playbook.pk}/steps/hello/"
    data = {"id": "hello", "name": "Click", "type": "browser.click", "param-selector": "#a"}

    refused = client.post(url, {**data, "param-timeout": "5.0"}, **HTMX)
    saved = client.post(url, {**data, "param-timeout": " 12 ", "param-force": "Yes"})

    assert refused.status_code == 422
    assert "&#x27;timeout&#x27; must be a whole number, not &#x27;5.0&#x27;" in (
        refused.content.decode()
    )
    assert saved.status_code == 302
    playbook.refresh_from_db()
    assert playbook_step(playbook)["parameters"] == {"selector": "#a", "timeout": 12, "force": True}
