"""A run's browser shows only web pages: nothing from file:, chrome: or view-source: reaches a step.

The data folder's ``secrets.env`` holds a unique secret; each test tries to make a later step
(``browser.get_text``, ``browser.verify_text``) read it, as a hostile editor or operator would.
"""

import contextlib
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from rest_framework.test import APIClient

from apps.executions.models import Artifact, ExecutionEvent
from apps.playbooks.models import Playbook
from apps.steps.errors import StepError
from tests.executions.factories import playbook
from tests.security.hostile_site import HostileSite, make_data_folder
from tests.steps.plugins.browser.harness import Harness

ALLOWED = "browser steps open only http:// and https:// addresses (or about:blank)"
STEP_YAML = """name: Peek
version: "1.0"
steps:
  - id: open
    name: Open
    type: browser.navigate
    parameters:
      url: "{url}"
"""


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return make_data_folder(tmp_path_factory.mktemp("data"))


@pytest.fixture(scope="module")
def hostile(data):
    site = HostileSite(data.secrets_env.as_uri())
    yield site
    site.stop()


@pytest.fixture(scope="module")
def shared_run(data):
    run = Harness(data.artifacts / "run-1")
    yield run
    run.close()


@pytest.fixture
def run(shared_run, hostile):
    shared_run.step("browser.navigate", url=hostile.url("/nothing"))
    return shared_run


def everything_shown(run) -> str:
    """The HTML of every frame of every tab of the run's browser context.

    A frame whose load was refused has no document (its URL is empty): there is nothing to read,
    and Playwright would wait for one forever."""
    session = run.resources.peek("browser")
    shown = []
    with session.switch.playwright_side():
        for page in session.browser_context.pages:
            for frame in page.frames:
                if frame.url:
                    with contextlib.suppress(PlaywrightError):
                        shown.append(frame.content())
    return "\n".join(shown)


def read_attempts(run) -> list[str]:
    """What later steps return from the page (or their errors)."""
    found = []
    for step_type, params in (
        ("browser.get_text", {"selector": "body", "timeout": 1000}),
        ("browser.verify_text", {"selector": "body", "text": "KEY=", "match": "contains"}),
    ):
        try:
            found.append(str(run.step(step_type, **params)))
        except StepError as error:
            found.append(str(error))
    return found


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "file:///app/var/secrets.env",
        "view-source:file:///app/var/db.sqlite3",
        "chrome://version",
        "data:text/html,<p>x</p>",
        "javascript:alert(1)",
    ],
)
def test_literal_non_web_address_is_refused_at_import(team, editor, url):
    client = APIClient()
    client.force_authenticate(editor)

    response = client.post(
        "/api/v1/playbooks/import/",
        {"content": STEP_YAML.format(url=url), "filename": "peek.yaml"},
        format="json",
    )

    assert response.status_code == 400
    [issue] = response.json()["issues"]
    assert (issue["file"], issue["line"], issue["step_id"], issue["key"]) == (
        "peek.yaml",
        8,
        "open",
        "parameters.url",
    )
    assert issue["message"].endswith(f"addresses are not allowed ({url!r}): {ALLOWED}")
    assert Playbook.objects.count() == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_templated_file_address_fails_the_run_and_nothing_is_read(
    team, run_in_process, settings, data
):
    settings.ARTIFACTS_ROOT = data.artifacts
    book = playbook(
        team,
        """
        - id: open
          name: Open
          type: browser.navigate
          parameters: {url: "{{ parameter.page }}"}
        - id: read
          name: Read
          type: browser.get_text
          parameters: {selector: body}
        """,
        parameters="""
        - name: page
          type: string
        """,
    )

    execution = run_in_process(book, parameters={"page": data.secrets_env.as_uri()}).wait(60)

    assert execution.status == "failed"
    opened = execution.steps.get(step_id="open")
    assert opened.error == (
        f"'url': 'file:' addresses are not allowed ({data.secrets_env.as_uri()!r}): {ALLOWED}"
    )
    assert execution.steps.get(step_id="read").status == "pending"
    assert data.secret not in str(list(execution.steps.values("outputs", "error")))
    events = ExecutionEvent.objects.filter(execution=execution).values_list("payload", flat=True)
    assert data.secret not in str(list(events))
    for artifact in Artifact.objects.filter(execution=execution):
        assert data.secret.encode() not in everything_in(
            Path(settings.ARTIFACTS_ROOT) / artifact.path
        )


def everything_in(path: Path) -> bytes:
    """The bytes of a file, and of each member when it is a zip (a trace)."""
    if not zipfile.is_zipfile(path):
        return path.read_bytes()
    with zipfile.ZipFile(path) as archive:
        return b"".join(archive.read(name) for name in archive.namelist())


@pytest.mark.parametrize(
    ("url", "scheme"),
    [
        ("file:///etc/passwd", "file"),
        (" FILE:///etc/passwd", "file"),
        ("view-source:file:///etc/passwd", "view-source"),
        ("chrome://version", "chrome"),
        ("data:text/html,<p>x</p>", "data"),
        ("javascript:document.body.innerText", "javascript"),
        ("ftp://127.0.0.1/secrets.env", "ftp"),
        ("blob:http://127.0.0.1/1", "blob"),
    ],
)
def test_templated_address_is_refused_before_the_browser_moves(run, url, scheme):
    with pytest.raises(StepError) as failure:
        run.step("browser.navigate", url=url)

    assert (
        str(failure.value) == f"'url': '{scheme}:' addresses are not allowed ({url!r}): {ALLOWED}"
    )
    assert failure.value.retryable is False


def test_baseline_page_of_a_manifest_is_checked_too(run, data):
    with pytest.raises(StepError, match="'baseline_url': 'file:' addresses are not allowed"):
        run.step(
            "perspective.execute_test_manifest",
            manifest=[{"action": "click", "selector": "#go"}],
            baseline_url=data.secrets_env.as_uri(),
        )


@pytest.mark.parametrize(
    ("page", "action"),
    [
        ("/link.html", "click"),
        ("/popup.html", "click"),
        ("/iframe.html", None),
        ("/script.html", None),
        ("/later.html", "wait"),
    ],
)
def test_a_page_cannot_show_a_local_file(run, hostile, data, page, action):
    run.step("browser.navigate", url=hostile.url(page))
    if action == "click":
        run.step("browser.click", selector="#go")
    if action in ("click", "wait"):
        run.resources.idle(0.3)  # time for the page's own navigation to happen

    attempts = read_attempts(run)

    assert data.secret not in "\n".join(attempts)
    assert data.secret not in everything_shown(run)


def test_a_redirect_to_a_local_file_is_aborted(run, hostile, data):
    with pytest.raises(StepError) as failure:
        run.step("browser.navigate", url=hostile.url("/redirect"))

    assert "net::ERR_" in str(failure.value)
    assert data.secret not in "\n".join(read_attempts(run))
    assert data.secret not in everything_shown(run)


@pytest.mark.parametrize("prefix", ["", "view-source:"])
def test_a_local_file_opened_outside_navigate_is_blocked(run, data, prefix):
    with contextlib.suppress(PlaywrightError):
        run.page.goto(prefix + data.secrets_env.as_uri())

    attempts = read_attempts(run)

    assert data.secret not in "\n".join(attempts)
    assert data.secret not in everything_shown(run)
    assert any("Blocked a request to file://" in message for _level, message in run.logs)


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("chrome://version", "chrome://version/"),
        ("data:text/html,<p>KEY=1</p>", "data:text/html,<p>KEY=1</p>"),
    ],
)
def test_a_browser_page_opened_outside_navigate_closes_the_tab(run, hostile, url, shown):
    with contextlib.suppress(PlaywrightError):
        run.page.goto(url)

    with pytest.raises(StepError) as failure:
        run.step("browser.get_text", selector="body")

    assert str(failure.value) == (
        f"The page opened {shown}, which is not a web address: {ALLOWED}. The tab was closed "
        "and nothing from it was kept; the next step opens a new tab"
    )
    assert failure.value.retryable is False
    assert "KEY=1" not in everything_shown(run)
    assert run.step("browser.get_text", selector="body")["text"] == ""
    assert run.step("browser.navigate", url=hostile.url("/link.html"))["status"] == "navigated"
