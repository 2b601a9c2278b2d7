"""Step parameter values given as JSON text: read under the nesting limit."""

import pytest

from apps.steps.errors import StepError
from apps.steps.params import coerce
from apps.steps.schema import Param, ParamType


def test_json_text_for_a_list_becomes_the_list():
    assert coerce(Param(name="items", type=ParamType.LIST), "[1, [2]]") == [1, [2]]


def test_json_text_nested_too_deeply_is_a_step_error_not_a_crash():
    deep = "[" * 20_000 + "]" * 20_000

    with pytest.raises(StepError) as refused:
        coerce(Param(name="items", type=ParamType.LIST), deep)

    assert str(refused.value) == (
        "'items' JSON nested deeper than 100 levels: use at most 100 nested lists or objects."
    )
