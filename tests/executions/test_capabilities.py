"""Routing by capability: a step type's declared ``requires`` and ``STEP_CAPABILITY_QUEUES``
pick a run's queue and the launch check, whatever the step type is called."""

import pytest

from apps.executions.capabilities import capability_problem, run_queue
from apps.steps import registry
from apps.steps.registry import StepRegistry
from apps.steps.schema import StepType


def _declared(step_id: str, *requires: str) -> StepType:
    family = step_id.split(".")[0]
    return StepType(
        id=step_id,
        family=family,
        title="T",
        description="D.",
        requires=requires,
        handler="apps.steps.plugins.utility.log.run",
    )


class NoBroker:
    """A Celery app whose broker cannot be reached."""

    class control:  # noqa: N801 - mirrors ``app.control``
        @staticmethod
        def inspect(timeout):
            raise ConnectionError("broker down")


class Untouchable:
    """A Celery app that must not be asked."""

    @property
    def control(self):
        raise AssertionError("inspected the workers for steps that need no routed capability")


@pytest.fixture(autouse=True)
def plugin_types(monkeypatch, settings):
    """Built-ins plus plugin step types that need a desktop, a GPU or only a browser."""
    settings.STEP_CAPABILITY_QUEUES = {"desktop": "designer", "gpu": "gpu"}
    types = StepRegistry()
    types.add_builtin_modules(registry.BUILTIN_MODULES)
    types._add_plugin_types(
        [
            _declared("acme.paint", "desktop"),
            _declared("acme.render", "gpu", "browser"),
            _declared("acme.look", "browser"),
        ]
    )
    monkeypatch.setattr(registry, "_registry", types)


def test_a_plugin_step_that_requires_the_desktop_goes_to_the_designer_queue():
    steps = [{"type": "utility.log"}, {"type": "acme.paint"}]

    assert run_queue(steps) == "designer"
    assert capability_problem(steps, app=NoBroker()) == (
        "No worker can run acme.paint: no running worker declares the 'desktop' capability. "
        "Start a Celery worker with WORKER_CAPABILITIES=desktop that consumes the 'designer' "
        "queue (docs/plugins.md#capabilities)."
    )


def test_a_capability_mapped_in_the_settings_has_its_own_queue():
    steps = [{"type": "acme.render"}, {"type": "acme.look"}]

    assert run_queue(steps) == "gpu"
    assert "no running worker declares the 'gpu' capability" in capability_problem(
        steps, app=NoBroker()
    )


def test_capabilities_without_a_queue_need_no_check_and_take_the_default_queue():
    steps = [{"type": "acme.look"}, {"type": "browser.click"}, {"type": "acme.unknown"}]

    assert run_queue(steps) == "executions"
    assert capability_problem(steps, app=Untouchable()) is None


def test_routing_follows_the_settings_not_the_designer_prefix(settings):
    settings.STEP_CAPABILITY_QUEUES = {}
    steps = [{"type": "designer.wait"}]

    assert run_queue(steps) == "executions"
    assert capability_problem(steps, app=Untouchable()) is None


def test_steps_that_need_two_different_queues_are_refused():
    steps = [{"type": "designer.wait"}, {"type": "acme.paint"}, {"type": "acme.render"}]

    assert capability_problem(steps, app=Untouchable()) == (
        "No single worker can run acme.paint, designer.wait ('desktop') and acme.render "
        "('gpu'): they need different workers. Split the playbook."
    )
