"""Every shipped gateway and Perspective playbook, run by the engine against the 8.3.0, 8.3.9
and 8.1 profiles.

Each playbook runs on a fresh simulator of each profile it declares. All runs end green except,
by design, the tag playbook on 8.3.0 (no tag API: it fails with the message naming the
version) and the visual consistency check, whose default page is the simulator's deliberately
defective view. The Designer playbooks need a desktop worker and make no gateway calls: they
are not run here.
"""

from pathlib import Path

import pytest
import yaml
from django.conf import settings as django_settings
from django.test import override_settings

from apps.playbooks.models import Playbook
from apps.playbooks.services import playbook_library_sync
from tests.credentials.factories import CredentialFactory
from tests.simulator.helpers import build_modl

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.slow]

LIBRARY = Path(django_settings.BASE_DIR) / "playbooks"
PROFILES = {"8.3.0": "8.3", "8.3.9": "8.3", "8.1.x": "8.1"}
VISION = "com.inductiveautomation.vision"
EXTRA = {
    "gateway/gateway_restart_web.yaml": {"restart_wait_ms": 60000},
    "gateway/module_install_83.yaml": {"module_file": "{modl}"},
    "gateway/module_upgrade_83.yaml": {"module_file": "{modl}", "module_name": "Demo Module"},
    "gateway/module_uninstall_83.yaml": {"module_id": VISION},
    "gateway/module_install_81.yaml": {"module_file": "{modl}", "module_name": "Demo Module"},
    "gateway/module_upgrade_81.yaml": {"module_file": "{modl}", "module_name": "Demo Module"},
    "gateway/module_uninstall_81.yaml": {"module_id": VISION},
    "gateway/module_manage.yaml": {"module_file": "{modl}", "module_name": "Demo Module"},
}
FAILS_BY_DESIGN = {
    ("gateway/tags_export_import.yaml", "8.3.0"): "Ignition 8.3.0 has no tag",
    **{
        ("perspective/test_visual_consistency.yaml", version): "Misaligned components"
        for version in PROFILES
    },
}


def declared_runs() -> list[tuple[str, str]]:
    runs = []
    for path in sorted([*LIBRARY.glob("gateway/*.yaml"), *LIBRARY.glob("perspective/*.yaml")]):
        profiles = yaml.safe_load(path.read_text(encoding="utf-8"))["metadata"]["profiles"]
        name = path.relative_to(LIBRARY).as_posix()
        runs += [(name, version) for version, line in PROFILES.items() if line in profiles]
    return runs


@pytest.fixture
def library(team, tmp_path, settings):
    settings.ARTIFACTS_ROOT = tmp_path / "artifacts"
    settings.BROWSER_TRACE = False
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    (inputs / "demo.modl").write_bytes(build_modl("com.example.demo", eula=None))
    settings.WORKER_INPUT_DIRS = [str(inputs)]
    playbook_library_sync(root=LIBRARY, teams=[team])
    Playbook.objects.filter(team=team).update(verified=True)
    CredentialFactory(team=team, name="gw-admin", username="admin", secret="password")  # noqa: S106
    return str(inputs / "demo.modl")


def parameters(path: str, version: str, url: str, modl: str) -> dict:
    values = {"gateway_url": url, "gateway_credential": "gw-admin"}
    if path == "gateway/module_manage.yaml" and version.startswith("8.1"):
        values["gateway_profile"] = "81"
    extra = EXTRA.get(path, {})
    values |= {key: modl if value == "{modl}" else value for key, value in extra.items()}
    declared = yaml.safe_load((LIBRARY / path).read_text(encoding="utf-8")).get("parameters")
    names = {parameter["name"] for parameter in declared or []}
    return {key: value for key, value in values.items() if key in names}


@override_settings(ALLOW_PYTHON_STEPS=True)  # the visual check measures with a Python step
@pytest.mark.parametrize(("path", "version"), declared_runs())
def test_a_library_playbook_runs_on_each_profile(
    team, library, sim_factory, run_in_process, path, version
):
    sim = sim_factory(version=version)
    playbook = Playbook.objects.get(team=team, path=path)

    run = run_in_process(playbook, parameters=parameters(path, version, sim.url, library))
    execution = run.wait(timeout=600)

    failed = [(s.step_id, s.error) for s in execution.steps.exclude(status="completed")]
    expected = FAILS_BY_DESIGN.get((path, version))
    if expected is None:
        # A step the playbook lets fail (on_failure: continue, e.g. Reset Trial on a running
        # trial) does not fail the run.
        assert (execution.status, execution.status_reason) == ("completed", ""), failed
    else:
        assert execution.status == "failed"
        assert expected in execution.status_reason or any(expected in e for _, e in failed)
