"""Step plugins sit under the engine: they reach the run only through ``StepContext``."""

import ast
from pathlib import Path

import pytest

from apps.credentials.models import CredentialKind
from apps.steps.plugins.ai.keys import KIND

PLUGINS = Path(__file__).resolve().parents[2] / "apps" / "steps" / "plugins"
FORBIDDEN = ("apps.executions", "toolkit_project.celery", "celery", "django.db")


def imported_modules(source: str) -> list[str]:
    """Every module an ``import`` or ``from ... import`` of ``source`` names, at any depth."""
    names = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
            names += [f"{node.module}.{alias.name}" for alias in node.names]
    return names


def forbidden(module: str) -> bool:
    parts = module.split(".")
    banned = any(module == name or module.startswith(f"{name}.") for name in FORBIDDEN)
    return banned or "models" in parts


@pytest.mark.parametrize(
    "path", sorted(PLUGINS.rglob("*.py")), ids=lambda p: str(p.relative_to(PLUGINS))
)
def test_plugins_import_neither_the_engine_the_celery_app_nor_the_orm(path):
    offending = [m for m in imported_modules(path.read_text()) if forbidden(m)]

    assert offending == []


@pytest.mark.parametrize(
    ("_case", "source", "expected"),
    [
        ("the engine", "from apps.executions.frames import frame_publish", True),
        ("the celery app, lazily", "def f():\n    from toolkit_project.celery import app", True),
        ("the ORM", "from django.db import transaction", True),
        ("a model module", "import apps.credentials.models", True),
        ("a model by name", "from apps.credentials import models", True),
        ("a lower service", "from apps.credentials.services import ResolvedCredential", False),
        ("the contract", "from apps.steps.context import StepContext", False),
    ],
)
def test_the_scan_catches_what_it_must(_case, source, expected):
    assert any(forbidden(m) for m in imported_modules(source)) is expected


def test_the_ai_key_kind_is_the_vault_kind():
    assert CredentialKind.AI_API_KEY.value == KIND
