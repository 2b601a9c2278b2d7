"""The playbook pages: list, detail, YAML editor, step editor, versions and the actions."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.playbooks.models import Playbook, PlaybookOrigin
from apps.playbooks.services import playbook_update
from tests.playbooks.factories import PlaybookFactory, playbook_yaml

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
BROKEN = "name: Broken\nversion: '1'\nsteps:\n  - id: a\n    name: A\n    type: utility.lgo\n"


def logged_in(client, user):
    client.force_login(user)
    return client


def pages(pk):
    """Every GET page and fragment of one playbook."""
    return [
        f"/playbooks/{pk}/",
        f"/playbooks/{pk}/run/",
        f"/playbooks/{pk}/diff/",
        f"/playbooks/{pk}/export/",
        f"/playbooks/{pk}/steps/hello/",
    ]


def actions(pk):
    return [
        f"/playbooks/{pk}/validate/",
        f"/playbooks/{pk}/yaml/",
        f"/playbooks/{pk}/restore/",
        f"/playbooks/{pk}/duplicate/",
        f"/playbooks/{pk}/delete/",
        f"/playbooks/{pk}/verify/",
        f"/playbooks/{pk}/enable/",
        f"/playbooks/{pk}/run/",
        f"/playbooks/{pk}/steps/hello/",
    ]


def test_list_groups_cards_by_domain_and_group(client, team, other_team, viewer):
    PlaybookFactory(team=team, name="Login", path="gateway/login.yaml")
    grouped = PlaybookFactory(team=team, name="Backup", path="gateway/backup.yaml", enabled=False)
    Playbook.objects.filter(pk=grouped.pk).update(group="Gateway (Base Playbooks)")
    perspective_yaml = playbook_yaml("Pages").replace("domain: gateway", "domain: perspective")
    PlaybookFactory(team=team, name="Pages", path="perspective/p.yaml", yaml_text=perspective_yaml)
    PlaybookFactory(team=other_team, name="Secret plan", path="gateway/other.yaml")

    response = logged_in(client, viewer).get("/playbooks/")

    body = response.content.decode()
    assert response.status_code == 200
    gateway, perspective = 'domain-name">Gateway<', 'domain-name">Perspective<'
    assert body.index(gateway) < body.index("Gateway (Base Playbooks)") < body.index(perspective)
    assert "Login" in body
    assert "Backup" in body
    assert "Pages" in body
    assert "Secret plan" not in body
    assert "v1.0 · r1" in body
    assert "1 step<" in body
    assert "3 params" in body
    assert "Unverified – use with caution" in body
    assert "is-disabled" in body


def test_list_filters_answer_a_fragment_for_htmx(client, team, viewer):
    PlaybookFactory(team=team, name="Login", path="gateway/login.yaml")
    PlaybookFactory(team=team, name="Restart", path="gateway/restart.yaml", verified=True)
    client = logged_in(client, viewer)
    headers = {**HTMX, "HTTP_HX_TARGET": "playbook-groups"}

    searched = client.get("/playbooks/", {"search": "rest"}, **headers)
    verified = client.get("/playbooks/", {"status": "unverified", "domain": "gateway"}, **headers)
    nothing = client.get("/playbooks/", {"search": "zzz"}, **headers)
    invalid = client.get("/playbooks/", {"domain": "alien"})

    assert "<html" not in searched.content.decode()
    assert "Restart" in searched.content.decode()
    assert "Login" not in searched.content.decode()
    assert "Login" in verified.content.decode()
    assert "Restart" not in verified.content.decode()
    assert "No playbooks match" in nothing.content.decode()
    assert "Login" in invalid.content.decode()
    assert "Restart" in invalid.content.decode()


def test_list_query_count_does_not_grow(client, team, viewer):
    client = logged_in(client, viewer)
    PlaybookFactory.create_batch(2, team=team)
    with CaptureQueriesContext(connection) as few:
        client.get("/playbooks/")
    PlaybookFactory.create_batch(8, team=team)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/playbooks/")

    assert response.content.decode().count('data-testid="playbook-card"') == 10
    assert len(many) == len(few) <= 8


def test_anonymous_users_go_to_the_login_page(client, playbook):
    for url in ["/playbooks/", *pages(playbook.pk)]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next=")
    for url in ["/playbooks/new/", "/playbooks/import/", *actions(playbook.pk)]:
        assert client.post(url).status_code == 302, url
    assert Playbook.objects.count() == 1


def test_other_teams_playbook_is_not_found(client, playbook, outsider):
    client = logged_in(client, outsider)
    for url in pages(playbook.pk):
        assert client.get(url).status_code == 404, url
    for url in actions(playbook.pk):
        assert client.post(url, {"value": "true", "revision": "1"}).status_code == 404, url
    playbook.refresh_from_db()
    assert (playbook.current_version.revision, playbook.verified) == (1, False)


def test_viewer_sees_no_edit_or_run_controls(client, playbook, viewer):
    client = logged_in(client, viewer)
    listing = client.get("/playbooks/").content.decode()
    detail = client.get(f"/playbooks/{playbook.pk}/").content.decode()

    assert "New playbook" not in listing
    assert 'data-testid="run-button"' not in listing
    assert 'data-testid="run-button"' not in detail
    assert "Mark verified" not in detail
    assert "readonly" in detail
    assert "Save as revision" not in detail


@pytest.mark.parametrize("persona", ["viewer", "operator"])
def test_readers_cannot_change_anything(request, client, playbook, persona):
    client = logged_in(client, request.getfixturevalue(persona))
    pk = playbook.pk
    posts = {
        f"/playbooks/{pk}/yaml/": {"yaml_text": playbook_yaml(message="Changed")},
        f"/playbooks/{pk}/steps/hello/": {"id": "hello", "name": "X", "type": "utility.log"},
        f"/playbooks/{pk}/restore/": {"revision": "1"},
        f"/playbooks/{pk}/duplicate/": {"name": "Copy"},
        f"/playbooks/{pk}/delete/": {},
        f"/playbooks/{pk}/verify/": {"value": "true"},
        f"/playbooks/{pk}/enable/": {"value": "false"},
        "/playbooks/new/": {"name": "New", "domain": "gateway"},
    }
    for url, data in posts.items():
        assert client.post(url, data).status_code == 403, url

    playbook.refresh_from_db()
    assert Playbook.objects.count() == 1
    assert (playbook.current_version.revision, playbook.verified, playbook.enabled) == (
        1,
        False,
        True,
    )


def test_create_from_template(client, team, editor):
    client = logged_in(client, editor)
    response = client.post(
        "/playbooks/new/", {"name": "Nightly check", "domain": "gateway"}, **HTMX
    )
    invalid = client.post("/playbooks/new/", {"name": "", "domain": "moon"}, **HTMX)

    created = Playbook.objects.get()
    assert response.status_code == 204
    assert response["HX-Redirect"] == f"/playbooks/{created.pk}/"
    assert (created.name, created.path, created.team) == (
        "Nightly check",
        "gateway/nightly_check.yaml",
        team,
    )
    assert invalid.status_code == 422
    assert "This field is required" in invalid.content.decode()
    assert "<html" not in invalid.content.decode()


def test_import_yaml_and_show_issues(client, team, editor):
    client = logged_in(client, editor)
    good = SimpleUploadedFile("login.yaml", playbook_yaml("Imported login").encode())
    bad = SimpleUploadedFile("broken.yaml", BROKEN.encode())
    binary = SimpleUploadedFile("blob.yaml", b"\xff\xfe\x00")

    response = client.post("/playbooks/import/", {"file": good})
    refused = client.post("/playbooks/import/", {"file": bad})
    not_text = client.post("/playbooks/import/", {"file": binary})

    imported = Playbook.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/playbooks/{imported.pk}/"
    assert (imported.name, imported.origin) == ("Imported login", PlaybookOrigin.IMPORTED)
    assert refused.status_code == 422
    assert "Line 6, column 11" in refused.content.decode()
    assert "utility.log" in refused.content.decode()  # the "did you mean" hint
    assert not_text.status_code == 422
    assert "not UTF-8" in not_text.content.decode()


def test_import_export_json_without_yaml_goes_back_with_a_message(client, team, editor):
    upload = SimpleUploadedFile("x_export.json", json.dumps({"yaml_content": ""}).encode())
    response = logged_in(client, editor).post("/playbooks/import/", {"file": upload}, follow=True)

    assert "yaml_content" in response.content.decode()
    assert Playbook.objects.count() == 0


def test_detail_shows_metadata_parameters_steps_and_versions(client, playbook, viewer, editor):
    playbook_update(playbook, actor=editor, yaml_text=playbook_yaml(extra="\n    timeout: 20"))
    text = playbook_yaml() + "    retry_count: 2\n    timeout: 45\n"
    playbook_update(playbook, actor=editor, yaml_text=text, change_note="More retries")

    body = logged_in(client, viewer).get(f"/playbooks/{playbook.pk}/").content.decode()

    assert "gateway/check_gateway.yaml" in body
    assert "Line 1" in body
    assert "<code>retries</code>" in body
    assert "<code>http://localhost:8088</code>" in body
    assert "utility.log" in body
    assert "45 s" in body
    assert "2 × 5 s" in body
    assert "r3" in body
    assert "More retries" in body
    assert "erin-editor" in body
    assert "# A comment that survives verbatim exports" in body


def test_duplicate_export_and_delete(client, playbook, builtin_playbook, editor):
    client = logged_in(client, editor)

    copied = client.post(f"/playbooks/{playbook.pk}/duplicate/", {"name": "Second copy"})
    exported_yaml = client.get(f"/playbooks/{playbook.pk}/export/")
    exported_json = client.get(f"/playbooks/{playbook.pk}/export/", {"format": "json"})
    unknown = client.get(f"/playbooks/{playbook.pk}/export/", {"format": "xml"})
    builtin = client.post(f"/playbooks/{builtin_playbook.pk}/delete/", follow=True)
    deleted = client.post(f"/playbooks/{playbook.pk}/delete/", **HTMX)

    copy = Playbook.objects.get(name="Second copy")
    assert copied["Location"] == f"/playbooks/{copy.pk}/"
    assert exported_yaml["Content-Disposition"] == 'attachment; filename="check_gateway.yaml"'
    assert exported_yaml.content.decode() == playbook.current_version.yaml_text
    assert json.loads(exported_json.content)["metadata"]["credentials_stripped"] is True
    assert unknown.status_code == 302
    assert "built-in playbook" in builtin.content.decode()
    assert deleted.status_code == 204
    assert deleted["HX-Redirect"] == "/playbooks/"
    assert set(Playbook.objects.values_list("name", flat=True)) == {"Second copy", "Library"}


def test_verify_and_enable(client, playbook, editor):
    client = logged_in(client, editor)

    client.post(f"/playbooks/{playbook.pk}/verify/", {"value": "true"})
    response = client.post(f"/playbooks/{playbook.pk}/enable/", {"value": "false"}, follow=True)

    playbook.refresh_from_db()
    assert (playbook.verified, playbook.verified_by, playbook.enabled) == (True, editor, False)
    assert "is now disabled" in response.content.decode()
    assert "Remove verification" in response.content.decode()


def test_a_broken_or_missing_revision_still_renders(client, playbook, team, viewer, editor):
    type(playbook.current_version).objects.filter(pk=playbook.current_version_id).update(
        yaml_text="steps: [unclosed"
    )
    Playbook.objects.create(team=team, path="gateway/empty.yaml", name="Empty")
    client = logged_in(client, viewer)

    listing = client.get("/playbooks/").content.decode()
    detail = client.get(f"/playbooks/{playbook.pk}/").content.decode()

    assert listing.count("0 steps") == 2
    assert "The current revision cannot be read" in detail


def test_import_refuses_big_files(client, team, editor, monkeypatch):
    monkeypatch.setattr("apps.playbooks.forms.MAX_UPLOAD_BYTES", 10)
    upload = SimpleUploadedFile("big.yaml", playbook_yaml().encode())

    response = logged_in(client, editor).post("/playbooks/import/", {"file": upload}, **HTMX)

    assert response.status_code == 422
    assert "larger than 1 MB" in response.content.decode()
    assert Playbook.objects.count() == 0


def test_lenient_import_drops_keys_the_originals_ignored(client, team, editor):
    text = playbook_yaml("Lenient") + "    retries: 2\n"
    upload = SimpleUploadedFile("lenient.yaml", text.encode())

    response = logged_in(client, editor).post(
        "/playbooks/import/", {"file": upload, "lenient": "on"}, follow=True
    )

    assert "1 change(s) for the portal" in response.content.decode()
    assert "retries: 2" not in Playbook.objects.get().current_version.yaml_text
