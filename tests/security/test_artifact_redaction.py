"""Files a run stores are redacted where they are written: pages, debug contexts, text
downloads and Playwright traces lose the secret; images and binary downloads stay as they are."""

import json
import zipfile
from pathlib import Path

import pytest
from django.conf import settings

from apps.executions.engine.masking import MASK, Masker
from apps.executions.engine.recording import Recorder
from apps.executions.services.launch import execution_start
from tests.executions.factories import HELLO_STEP, playbook
from tests.security.leaks import SECRET, USERNAME, encoded_forms, leaks_in

pytestmark = pytest.mark.django_db

FORMS = encoded_forms()
PNG = b"\x89PNG\r\n\x1a\n" + SECRET.encode()  # an image is never rewritten


@pytest.fixture
def recorder(team, operator, settings, tmp_path):
    settings.ARTIFACTS_ROOT = tmp_path
    execution = execution_start(playbook(team, HELLO_STEP), actor=operator)
    masker = Masker()
    masker.add(SECRET, username=USERNAME)
    return Recorder(execution, masker)


def stored(artifact) -> bytes:
    return (Path(settings.ARTIFACTS_ROOT) / artifact.path).read_bytes()


def test_a_text_download_moved_into_place_is_redacted(recorder, tmp_path):
    body = tmp_path / "answer"
    body.write_text(json.dumps({"description": SECRET, "url": f"/x?pw={FORMS['quote_plus']}"}))

    artifact = recorder.artifact(None, "download", "answer.json", source=body)

    assert json.loads(stored(artifact)) == {"description": MASK, "url": f"/x?pw={MASK}"}
    assert artifact.size == len(stored(artifact))


@pytest.mark.parametrize(
    ("_case", "name", "content_type"),
    [
        ("xml", "answer.xml", "application/xml; charset=utf-8"),
        ("form", "answer.bin", "application/x-www-form-urlencoded"),
        ("javascript", "answer.js", ""),
        ("problem_json", "answer", "application/problem+json"),
    ],
)
def test_text_content_types_are_redacted(recorder, _case, name, content_type):
    data = f"a={FORMS['quote_plus']}&b={FORMS['html']}"

    artifact = recorder.artifact(None, "download", name, data=data, content_type=content_type)

    assert stored(artifact) == f"a={MASK}&b={MASK}".encode()


def test_images_and_binary_downloads_are_stored_unchanged(recorder):
    shot = recorder.artifact(None, "screenshot", "shot.png", data=PNG)
    backup = recorder.artifact(None, "download", "gw.gwbk", data=PNG)

    assert stored(shot) == PNG
    assert stored(backup) == PNG


def test_a_trace_is_rewritten_entry_by_entry(recorder, tmp_path):
    trace = tmp_path / "trace.zip"
    with zipfile.ZipFile(trace, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("trace.trace", json.dumps({"method": "fill", "value": SECRET}))
        archive.writestr("resources/body.json", f'{{"password":"{FORMS["json_unicode"]}"}}')
        archive.writestr("resources/page.html", f"<p>{FORMS['html_without_quotes']}</p>")

    artifact = recorder.artifact(None, "trace", "trace.zip", source=trace)

    with zipfile.ZipFile(Path(settings.ARTIFACTS_ROOT) / artifact.path) as archive:
        entries = {name: archive.read(name).decode() for name in archive.namelist()}
    assert entries == {
        "trace.trace": json.dumps({"method": "fill", "value": MASK}),
        "resources/body.json": f'{{"password":"{MASK}"}}',
        "resources/page.html": f"<p>{MASK}</p>",
    }


def test_a_debug_context_holds_no_secret(recorder):
    row = recorder.execution.steps.get()
    step = {"id": "hello", "type": "utility.log", "parameters": {"message": "hello"}}
    scope = type("Scope", (), {"variables": {"address": f"/home?pw={FORMS['browser_query']}"}})
    snapshot = {"html": f"<p>Hello {FORMS['html']}</p>", "screenshot": PNG}

    recorder.debug_context(row, step, scope, f"refused {FORMS['json']}", snapshot)

    files = {a.kind: stored(a) for a in recorder.execution.artifacts.all()}
    assert sorted(files) == ["debug", "html", "screenshot"]
    assert leaks_in(files["debug"] + files["html"], "debug") == []
    assert json.loads(files["debug"])["variables"] == {"address": f"/home?pw={MASK}"}
