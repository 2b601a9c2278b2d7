"""The registry: explicit built-ins, entry-point plugins, and clear errors for unknown ids."""

import importlib.metadata
import logging
import sys
from types import ModuleType

import pytest

from apps.playbooks.loader import PlaybookValidationError, load_playbook
from apps.steps import registry
from apps.steps.registry import (
    ENTRY_POINT_GROUP,
    StepRegistry,
    UnknownStepTypeError,
    all_step_types,
    get_step_type,
    handler_for,
    plugin_problems,
)
from apps.steps.schema import Param, ParamType, StepType


def blink(context, params):
    return {"status": f"blinked {params['times']} times"}


EXTRA = StepType(
    id="acme.blink",
    family="acme",
    title="Blink",
    description="Blink a lamp.",
    params=(Param("times", ParamType.INTEGER, required=True, description="How often."),),
    outputs=("status",),
    handler=blink,
)
OTHER = StepType(
    id="acme.beep", family="acme", title="Beep", description="Beep.", handler="acme_steps.beep"
)


class FakeDistribution(importlib.metadata.Distribution):
    """An installed distribution that exists only in memory."""

    def __init__(self, name, entry_points):
        self._name = name
        self._entry_points = entry_points

    def read_text(self, filename):
        if filename == "METADATA":
            return f"Metadata-Version: 2.1\nName: {self._name}\nVersion: 1.0\n"
        if filename == "entry_points.txt":
            lines = [f"{name} = {target}" for name, target in self._entry_points.items()]
            return f"[{ENTRY_POINT_GROUP}]\n" + "\n".join(lines) + "\n"
        return None

    def locate_file(self, path):  # pragma: no cover - never called for entry points
        return path


@pytest.fixture
def install(monkeypatch):
    """Install fake distributions' entry points; the registry is rebuilt around the test."""
    module = ModuleType("acme_steps")
    module.BLINK = EXTRA
    module.ALL = lambda: [EXTRA, OTHER]
    module.TEXT = "not a step"
    module.MIXED = [EXTRA, 42]
    module.beep = lambda context, params: {}
    module.CLASH = StepType(
        id="browser.click", family="browser", title="t", description="d", handler=blink
    )
    module.NO_IMPORT = StepType(
        id="acme.hum", family="acme", title="t", description="d", handler="acme_steps.nope"
    )
    module.NOT_CALLABLE = StepType(
        id="acme.hum", family="acme", title="t", description="d", handler="acme_steps.TEXT"
    )
    module.TWICE = [OTHER, OTHER]
    module.BROKEN = lambda: StepType(
        id="bad", family="bad", title="t", description="d", handler=blink
    )
    monkeypatch.setitem(sys.modules, "acme_steps", module)
    distributions = []

    def entry_points(*, group):
        return [ep for dist in distributions for ep in dist.entry_points if ep.group == group]

    def add(name, **entry_points_by_name):
        distributions.append(FakeDistribution(name, entry_points_by_name))
        registry.reset_registry()

    monkeypatch.setattr(importlib.metadata, "entry_points", entry_points)
    registry.reset_registry()
    yield add
    registry.reset_registry()


def test_unknown_id_names_close_matches():
    with pytest.raises(UnknownStepTypeError) as excinfo:
        get_step_type("browser.clik")

    assert str(excinfo.value) == (
        "Unknown step type 'browser.clik': did you mean 'browser.click' or 'browser.wait' or "
        "'browser.fill'? (docs/steps.md lists every type)"
    )
    assert excinfo.value.suggestions == ["browser.click", "browser.wait", "browser.fill"]
    assert isinstance(excinfo.value, LookupError)


def test_unknown_id_without_close_match_lists_families():
    with pytest.raises(UnknownStepTypeError) as excinfo:
        get_step_type("zzz")

    assert str(excinfo.value) == (
        "Unknown step type 'zzz': step types are <family>.<action> with family one of ai, "
        "browser, designer, fat, gateway, perspective, playbook, utility (docs/steps.md "
        "lists every type)"
    )


def test_registry_is_built_once_and_sorted():
    assert registry.get_registry() is registry.get_registry()
    ids = [t.id for t in all_step_types()]
    assert ids == sorted(ids)


def test_builtin_declared_twice_is_a_bug():
    step_registry = StepRegistry()
    step_registry.add_builtin_modules(["apps.steps.catalogue.fat"])

    with pytest.raises(ValueError, match="Built-in step type 'fat.generate_report' declared twice"):
        step_registry.add_builtin_modules(["apps.steps.catalogue.fat"])


def test_plugin_step_type_is_registered_and_validated(install):
    install("acme-steps", blink="acme_steps:BLINK")
    text = (
        "name: p\nversion: '1'\nsteps:\n  - {id: a, name: a, type: acme.blink, "
        "parameters: {times: 'x'}}\n"
    )

    assert get_step_type("acme.blink") is EXTRA
    assert handler_for(get_step_type("acme.blink")) is blink
    assert plugin_problems() == []
    with pytest.raises(PlaybookValidationError, match="'times' must be a whole number, not 'x'"):
        load_playbook(text)


def test_plugin_callable_may_return_several_types(install):
    install("acme-steps", everything="acme_steps:ALL")

    assert {"acme.blink", "acme.beep"} <= {t.id for t in all_step_types()}


@pytest.mark.parametrize(
    ("_case", "target", "message"),
    [
        (
            "import fails",
            "missing_plugin:STEPS",
            "ModuleNotFoundError: No module named 'missing_plugin'",
        ),
        (
            "attribute missing",
            "acme_steps:NOPE",
            "AttributeError: module 'acme_steps' has no attribute 'NOPE'",
        ),
        ("not a step type", "acme_steps:TEXT", "expected a StepType or a list of them, got str"),
        ("list with other objects", "acme_steps:MIXED", "expected StepType objects, got int"),
        (
            "id clash with a built-in",
            "acme_steps:CLASH",
            "step type 'browser.click' is already registered",
        ),
        ("same id twice", "acme_steps:TWICE", "step type 'acme.beep' is already registered"),
        (
            "handler does not import",
            "acme_steps:NO_IMPORT",
            "Step type 'acme.hum' cannot run: its handler 'acme_steps.nope' does not import "
            "(AttributeError: module 'acme_steps' has no attribute 'nope').",
        ),
        (
            "handler is not a function",
            "acme_steps:NOT_CALLABLE",
            "Step type 'acme.hum' cannot run: it names no handler.",
        ),
        (
            "invalid declaration",
            "acme_steps:BROKEN",
            "CatalogueError: Step type id 'bad' must look like 'family.action'",
        ),
    ],
)
def test_broken_plugin_is_reported_and_skipped(install, caplog, _case, target, message):
    install("acme-broken", broken=target)
    install("acme-good", blink="acme_steps:BLINK")

    with caplog.at_level(logging.ERROR, logger="apps.steps.registry"):
        types = {t.id for t in all_step_types()}

    problem = f"Step plugin 'broken' (distribution acme-broken) skipped: {message}"
    assert [str(p) for p in plugin_problems()] == [problem]
    assert caplog.messages == [problem]
    assert "acme.blink" in types
    assert get_step_type("browser.click").family == "browser"


def test_problem_without_distribution_reads_cleanly():
    problem = registry.PluginProblem("x", None, "boom")

    assert str(problem) == "Step plugin 'x' skipped: boom"
