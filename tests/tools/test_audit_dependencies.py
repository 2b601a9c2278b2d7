"""The dependency audit of `make test`: findings fail, an unreachable service is never "clean"."""

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "tools" / "audit_dependencies.py"
spec = importlib.util.spec_from_file_location("audit_dependencies", SCRIPT)
audit = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit)

AUDITED = {"name": "django", "version": "5.2.19", "vulns": []}
UNREACHABLE = {"name": "redis", "skip_reason": "Dependency not found on PyPI: redis (8.1.0)"}
VULNERABLE = {
    "name": "django",
    "version": "5.2.0",
    "vulns": [{"id": "PYSEC-2099-1", "fix_versions": ["5.2.1"]}],
}


def run(monkeypatch, dependencies):
    monkeypatch.setattr(audit, "run_pip_audit", lambda: {"dependencies": dependencies})
    return audit.main()


def test_a_vulnerability_fails_the_audit_and_names_the_fix(monkeypatch, capsys):
    assert run(monkeypatch, [VULNERABLE, AUDITED]) == 1
    assert "VULNERABLE django 5.2.0: PYSEC-2099-1 (fixed in 5.2.1)" in capsys.readouterr().out


def test_audited_packages_without_findings_pass(monkeypatch, capsys):
    assert run(monkeypatch, [AUDITED, UNREACHABLE]) == 0
    assert "1 packages, no known vulnerability (1 skipped)" in capsys.readouterr().out


@pytest.mark.parametrize(("required", "status"), [("false", 0), ("true", 1)])
def test_an_unreachable_service_says_the_audit_did_not_happen(
    monkeypatch, capsys, required, status
):
    monkeypatch.setenv("AUDIT_REQUIRED", required)
    assert run(monkeypatch, [UNREACHABLE]) == status
    output = capsys.readouterr()
    assert "DEPENDENCY AUDIT NOT PERFORMED" in output.err
    assert "no known vulnerability" not in output.out


def test_explained_ids_are_passed_to_pip_audit_as_ignored(monkeypatch, tmp_path):
    exceptions = tmp_path / "audit-exceptions.txt"
    exceptions.write_text("# comment\nGHSA-xxxx-1  only reachable through a disabled feature\n\n")
    monkeypatch.setattr(audit, "EXCEPTIONS", exceptions)
    assert audit.explained_ids() == ["GHSA-xxxx-1"]
