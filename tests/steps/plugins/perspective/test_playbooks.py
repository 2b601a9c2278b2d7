"""The shipped Perspective playbooks, run by the engine against the simulator in Chromium.

Every one runs green except the visual consistency check, whose default page is the
simulator's deliberately defective view: it fails, with the screenshot of the view stored.
"""

from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import override_settings

from tests.playbooks.factories import PlaybookFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
LIBRARY = Path(django_settings.BASE_DIR) / "playbooks" / "perspective"
CHILDREN = (
    "test_discovery",
    "test_buttons",
    "test_inputs",
    "test_docks",
    "test_visual_consistency",
    "test_verification_examples",
)


def shipped(team, name: str):
    text = (LIBRARY / f"{name}.yaml").read_text()
    return PlaybookFactory(
        team=team, path=f"perspective/{name}.yaml", name=name, domain="perspective",
        verified=True, yaml_text=text,
    )  # fmt: skip


@pytest.fixture
def artifacts(settings, tmp_path):
    settings.ARTIFACTS_ROOT = tmp_path
    settings.BROWSER_TRACE = False
    return tmp_path


@pytest.mark.parametrize("name", [n for n in CHILDREN if n != "test_visual_consistency"])
def test_a_shipped_perspective_playbook_runs_green(
    team, run_in_process, perspective, artifacts, name
):
    run = run_in_process(shipped(team, name), parameters={"gateway_url": perspective.base})
    execution = run.wait(timeout=180)

    failed = [(s.step_id, s.error) for s in execution.steps.exclude(status="completed")]
    assert (execution.status, failed) == ("completed", []), execution.status_reason
    reports = execution.artifacts.filter(kind="report").count()
    assert reports == (1 if name == "test_buttons" else 0)


@override_settings(ALLOW_PYTHON_STEPS=True)
def test_the_visual_check_fails_on_the_defective_view_with_its_screenshot(
    team, run_in_process, perspective, artifacts
):
    run = run_in_process(
        shipped(team, "test_visual_consistency"), parameters={"gateway_url": perspective.base}
    )
    execution = run.wait(timeout=180)

    alignment = execution.steps.get(step_id="alignment")
    assert execution.status == "failed"
    assert alignment.status == "failed"
    assert "Misaligned components: row-button-1 is +9 px off the row" in alignment.error
    shot = execution.artifacts.get(name="visual_consistency.png")
    assert (artifacts / shot.path).read_bytes().startswith(b"\x89PNG")


@override_settings(ALLOW_PYTHON_STEPS=True)
def test_the_suite_runs_every_child_and_shows_the_one_defect(
    team, run_in_process, perspective, artifacts
):
    for name in CHILDREN:
        shipped(team, name)
    suite = shipped(team, "test_suite_master")

    execution = run_in_process(suite, parameters={"gateway_url": perspective.base}).wait(600)

    top = dict(execution.steps.filter(path__regex=r"^\d+$").values_list("step_id", "status"))
    assert top == {
        "discovery": "completed",
        "buttons": "completed",
        "inputs": "completed",
        "docks": "completed",
        "visual": "failed",
        "verification": "completed",
        "summary": "completed",
    }
    assert execution.status == "completed"
