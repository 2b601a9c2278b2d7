"""The declarative schema: consistency checks on declarations and the JSON form."""

import json

import pytest

from apps.steps.schema import CatalogueError, LegacyKey, Param, ParamType, StepType, value_matches


@pytest.mark.parametrize(
    ("param_type", "value", "expected"),
    [
        (ParamType.INTEGER, 5, True),
        (ParamType.INTEGER, True, False),
        (ParamType.INTEGER, 5.0, False),
        (ParamType.FLOAT, 5, True),
        (ParamType.FLOAT, 0.5, True),
        (ParamType.BOOLEAN, False, True),
        (ParamType.BOOLEAN, 0, False),
        (ParamType.STRING, "x", True),
        (ParamType.STRING, 1, False),
        (ParamType.SELECTOR, "#a", True),
        (ParamType.LIST, [], True),
        (ParamType.DICT, {}, True),
        (ParamType.DICT, [], False),
        (ParamType.ANY, object, True),
    ],
)
def test_value_matches(param_type, value, expected):
    assert value_matches(param_type, value) is expected


@pytest.mark.parametrize(
    ("_case", "kwargs", "message"),
    [
        ("bad name", {"name": "a-b"}, "Parameter name 'a-b' is not an identifier"),
        ("bad unit", {"unit": "min"}, "Parameter 'p': unit must be 'ms', 's' or None"),
        (
            "required with default",
            {"required": True, "default": 1},
            "Parameter 'p' is required and has a default",
        ),
        (
            "default of the wrong type",
            {"default": "x"},
            "Parameter 'p': default does not match integer",
        ),
        (
            "default outside the enum",
            {"default": 3, "enum": (1, 2)},
            "Parameter 'p': default is not one of its enum",
        ),
    ],
)
def test_inconsistent_params_are_refused(_case, kwargs, message):
    arguments = {"name": "p", "type": ParamType.INTEGER, **kwargs}

    with pytest.raises(CatalogueError) as excinfo:
        Param(**arguments)

    assert str(excinfo.value) == message


def _step(**kwargs):
    arguments = {
        "id": "demo.run",
        "family": "demo",
        "title": "Run",
        "description": "Runs.",
        "handler": "demo.steps.run",
        **kwargs,
    }
    return StepType(**arguments)


@pytest.mark.parametrize(
    ("_case", "kwargs", "message"),
    [
        ("id without a family", {"id": "run"}, "Step type id 'run' must look like 'family.action'"),
        ("family mismatch", {"family": "other"}, "Step type 'demo.run' declares family 'other'"),
        (
            "parameter twice",
            {"params": (Param("a", ParamType.ANY), Param("a", ParamType.ANY))},
            "Step type 'demo.run' declares a parameter twice",
        ),
        (
            "group with unknown names",
            {"one_of": (("a", "b"),)},
            "Step type 'demo.run': group ('a', 'b') names unknown params",
        ),
        (
            "legacy key that is a parameter",
            {"params": (Param("a", ParamType.ANY),), "legacy_params": (LegacyKey("a", "hint"),)},
            "Step type 'demo.run': a legacy key is also a parameter",
        ),
        (
            "no handler",
            {"handler": None},
            "Step type 'demo.run' needs exactly one of a handler, 'composes' or 'unavailable'",
        ),
        (
            "a handler and composition",
            {"composes": True},
            "Step type 'demo.run' needs exactly one of a handler, 'composes' or 'unavailable'",
        ),
    ],
)
def test_inconsistent_step_types_are_refused(_case, kwargs, message):
    with pytest.raises(CatalogueError) as excinfo:
        _step(**kwargs)

    assert str(excinfo.value) == message


def test_lookups_and_defaults():
    step_type = _step(
        params=(Param("a", ParamType.INTEGER, default=1), Param("b", ParamType.STRING)),
        legacy_params=(LegacyKey("old", "Use a"),),
    )

    assert step_type.param_names == ("a", "b")
    assert step_type.get_param("b").type is ParamType.STRING
    assert step_type.get_param("zz") is None
    assert step_type.get_legacy("old").hint == "Use a"
    assert step_type.get_legacy("a") is None
    assert step_type.apply_defaults({}) == {"a": 1}
    assert step_type.apply_defaults({"a": None, "b": "x"}) == {"a": 1, "b": "x"}
    assert step_type.apply_defaults({"a": 5, "b": None}) == {"a": 5, "b": None}


def test_as_dict_is_json_safe():
    step_type = _step(
        params=(
            Param("mode", ParamType.STRING, default="x", enum=("x", "y"), unit=None),
            Param("ids", ParamType.LIST, items=ParamType.INTEGER),
        ),
        outputs=None,
        legacy_params=(LegacyKey("old", "Use mode", ignorable=False, replaces="mode"),),
        example={"mode": "y"},
    )

    data = json.loads(json.dumps(step_type.as_dict()))

    assert data["id"] == "demo.run"
    assert data["family"] == "demo"
    assert data["outputs"] is None
    assert data["params"][0] == {
        "name": "mode",
        "type": "string",
        "required": False,
        "default": "x",
        "enum": ["x", "y"],
        "unit": None,
        "description": "",
        "secret": False,
        "items": None,
        "minimum": None,
        "templated": True,
    }
    assert data["params"][1]["items"] == "integer"
    assert data["legacy_params"] == [{"name": "old", "hint": "Use mode", "ignorable": False}]
    assert data["example"] == {"mode": "y"}
