"""The import contracts in pyproject.toml hold (the layers, the simulator, the step plugins)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_every_import_contract_is_kept():
    result = lint_imports()

    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_an_upward_import_breaks_the_layers(tmp_path):
    config = tmp_path / "contracts.toml"
    config.write_text(
        '[tool.importlinter]\nroot_packages = ["apps"]\n\n'
        "[[tool.importlinter.contracts]]\n"
        'name = "credentials below gateways"\ntype = "layers"\n'
        'layers = ["apps.credentials", "apps.gateways"]\n'
    )

    result = lint_imports("--config", str(config))

    assert result.returncode == 1
    assert "apps.gateways.services -> apps.credentials" in result.stdout
