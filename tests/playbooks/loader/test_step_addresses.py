"""Browser addresses are web addresses and file parameters stay out of parent folders."""

import pytest

from apps.playbooks.loader import load_playbook
from tests.playbooks.loader.helpers import errors, with_steps

URL_HINT = "Write the page's address, e.g. '{{ gateway_url }}/web/home' or 'https://host/page'"
ALLOWED = "browser steps open only http:// and https:// addresses (or about:blank)"


def _step(step_type: str, parameters: str) -> str:
    return with_steps(
        f"- id: s\n  name: S\n  type: {step_type}\n  parameters: {parameters}",
        parameters="- {name: page, type: string}\n- {name: upload, type: file}",
    )


@pytest.mark.parametrize(
    ("_case", "url", "scheme"),
    [
        ("file", "file:///app/var/secrets.env", "file"),
        ("upper case", "FILE:///etc/passwd", "file"),
        ("view source", "view-source:file:///etc/passwd", "view-source"),
        ("chrome", "chrome://version", "chrome"),
        ("data", "data:text/html,<p>x</p>", "data"),
        ("javascript", "javascript:alert(1)", "javascript"),
        ("ftp", "ftp://host/file", "ftp"),
        ("blob", "blob:http://host/1", "blob"),
        ("tab inside the scheme", "fi\\tle:///etc/passwd", "file"),
        ("template after a literal scheme", "file:///{{ page }}", "file"),
    ],
)
def test_non_web_address_is_refused(_case, url, scheme):
    found = errors(_step("browser.navigate", f'{{url: "{url}"}}'))

    assert len(found) == 1
    assert found[0].startswith("pb.yaml:10:")
    assert (
        found[0]
        .split(": step 's', ", 1)[1]
        .startswith(f"key 'parameters.url': 'url': '{scheme}:' addresses are not allowed (")
    )
    assert found[0].endswith(f"): {ALLOWED}. {URL_HINT}")


def test_address_without_scheme_is_refused():
    found = errors(_step("browser.navigate", "{url: 'localhost:8088/web'}"))

    assert found == [
        "pb.yaml:10:23: step 's', key 'parameters.url': 'url': 'localhost:' addresses are not "
        f"allowed ('localhost:8088/web'): {ALLOWED}. {URL_HINT}"
    ]


def test_relative_address_is_refused():
    found = errors(_step("browser.navigate", "{url: /web/home}"))

    assert found == [
        "pb.yaml:10:23: step 's', key 'parameters.url': 'url': '/web/home' is not a full "
        f"address: start it with http:// or https://. {URL_HINT}"
    ]


def test_baseline_address_is_checked_too():
    found = errors(
        _step(
            "perspective.execute_test_manifest",
            "{manifest: [{action: click, selector: '#a'}], baseline_url: 'file:///etc/passwd'}",
        )
    )

    assert len(found) == 1
    assert "key 'parameters.baseline_url': 'baseline_url': 'file:' addresses" in found[0]


@pytest.mark.parametrize(
    "url",
    [
        "https://gateway.plant.local/web/home",
        "HTTP://127.0.0.1:8088/",
        "about:blank",
        "{{ page }}",
        "{{ page }}/web/home",
        "http://{{ page }}/x",
    ],
)
def test_web_address_is_accepted(url):
    load_playbook(_step("browser.navigate", f'{{url: "{url}"}}'))


@pytest.mark.parametrize(
    ("step_type", "parameters", "name"),
    [
        (
            "browser.file_upload",
            "{selector: '#f', file_path: '../../var/secrets.env'}",
            "file_path",
        ),
        ("gateway.api_request", "{method: POST, path: x, body_file: 'a/../../b'}", "body_file"),
        ("gateway.restore", "{file: '/srv/in/../../app/var/db.sqlite3'}", "file"),
    ],
)
def test_file_with_parent_segment_is_refused(step_type, parameters, name):
    found = errors(_step(step_type, parameters))

    assert len(found) == 1
    assert f"key 'parameters.{name}': '{name}' must not contain '..', found " in found[0]
    assert found[0].endswith(
        "Give a file of the run's folder by a relative name (e.g. one an earlier step "
        "downloaded), or an absolute path inside a folder the administrator allows "
        "(WORKER_INPUT_DIRS)"
    )


@pytest.mark.parametrize("value", ["backup.gwbk", "in/module.modl", "/srv/inputs/a.modl"])
def test_file_names_are_checked_on_the_worker(value):
    load_playbook(_step("gateway.restore", f"{{file: '{value}'}}"))
    load_playbook(_step("gateway.restore", "{file: '{{ upload }}'}"))
