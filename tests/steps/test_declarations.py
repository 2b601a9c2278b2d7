"""Every declared step type can run: its handler imports and is callable, or the engine runs it."""

import pytest

from apps.executions.engine.runner import Runner
from apps.steps.errors import NoHandlerError
from apps.steps.registry import all_step_types, builtin_step_types, handler_for
from apps.steps.schema import StepType

RUNNABLE = [t for t in all_step_types() if not t.unavailable]


@pytest.mark.parametrize("step_type", RUNNABLE, ids=lambda t: t.id)
def test_every_declared_step_type_can_run(step_type):
    if step_type.composes:
        assert callable(Runner.run_child)
    else:
        assert callable(handler_for(step_type))


def test_only_playbook_run_is_run_by_the_engine_itself():
    assert [t.id for t in builtin_step_types() if t.composes] == ["playbook.run"]


def test_only_removed_step_types_have_no_handler():
    unavailable = [t for t in builtin_step_types() if t.unavailable]

    assert {t.family for t in unavailable} == {"ai"}
    assert all(t.handler is None for t in unavailable)


def test_a_declared_step_type_whose_handler_does_not_import_cannot_run():
    broken = StepType(
        id="utility.vanish",
        family="utility",
        title="Vanish",
        description="Names a handler that is not there.",
        handler="apps.steps.plugins.utility.sleep.vanish",
    )

    with pytest.raises(NoHandlerError) as failure:
        handler_for(broken)

    assert str(failure.value) == (
        "Step type 'utility.vanish' cannot run: its handler "
        "'apps.steps.plugins.utility.sleep.vanish' does not import (AttributeError: module "
        "'apps.steps.plugins.utility.sleep' has no attribute 'vanish')."
    )


def test_a_removed_step_type_cannot_run_and_says_why():
    removed = next(t for t in builtin_step_types() if t.unavailable)

    with pytest.raises(NoHandlerError, match=f"Step type '{removed.id}' cannot run: The orig"):
        handler_for(removed)
