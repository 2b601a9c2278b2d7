import pytest

from apps.executions.parameters import ParameterError, parameters_coerce


def coerce(kind, value):
    return parameters_coerce([{"name": "p", "type": kind}], {"p": value}, credential_names={"c"})[
        "p"
    ]


@pytest.mark.parametrize(
    ("kind", "given", "expected"),
    [
        ("integer", 3, 3),
        ("integer", 3.0, 3),
        ("integer", " 12 ", 12),
        ("float", "1.5", 1.5),
        ("float", 2, 2.0),
        ("boolean", True, True),
        ("boolean", "Off", False),
        ("boolean", "1", True),
        ("list", [1], [1]),
        ("dict", '{"a": 1}', {"a": 1}),
        ("string", 5, "5"),
        ("file", "a.modl", "a.modl"),
        ("credential", "c", "c"),
    ],
)
def test_conversions(kind, given, expected):
    assert coerce(kind, given) == expected


@pytest.mark.parametrize(
    ("kind", "given", "problem"),
    [
        ("integer", True, "'p' must be a whole number, not true"),
        ("integer", 1.5, "'p' must be a whole number, not 1.5"),
        ("float", False, "'p' must be a number, not false"),
        ("float", "x", "'p' must be a number, not 'x'"),
        ("dict", [1], "'p' must be a mapping, not a list"),
        ("string", {"a": 1}, "'p' must be text, not a mapping"),
    ],
)
def test_wrong_types_are_named(kind, given, problem):
    with pytest.raises(ParameterError) as raised:
        coerce(kind, given)

    assert raised.value.problems == [problem]
    assert str(raised.value) == f"Invalid parameters: {problem}"


def test_defaults_fill_missing_values_and_empty_optional_ones_are_left_out():
    definitions = [{"name": "a", "type": "integer", "default": 4}, {"name": "b", "type": "string"}]

    assert parameters_coerce(definitions, {"b": ""}, credential_names=()) == {"a": 4}


def test_an_empty_value_takes_the_declared_default():
    definitions = [{"name": "a", "type": "integer", "default": 4}, {"name": "s", "default": "x"}]

    assert parameters_coerce(definitions, {"a": "", "s": ""}, credential_names=()) == {
        "a": 4,
        "s": "x",
    }


def test_optional_text_declared_with_an_empty_default_is_passed_as_empty_text():
    definitions = [
        {"name": "page", "type": "string", "default": ""},
        {"name": "file", "type": "file", "default": ""},
        {"name": "count", "type": "integer", "default": ""},
        {"name": "login", "type": "credential", "default": ""},
    ]

    typed = parameters_coerce(definitions, {}, credential_names=())

    assert typed == {"page": "", "file": ""}


def test_a_required_parameter_with_an_empty_default_still_needs_a_value():
    definitions = [{"name": "page", "type": "string", "default": "", "required": True}]

    with pytest.raises(ParameterError) as refused:
        parameters_coerce(definitions, {"page": ""}, credential_names=())

    assert refused.value.problems == ["'page' is required"]


@pytest.mark.parametrize(
    ("kind", "given", "length"),
    [
        ("string", "x" * 11, 11),
        ("list", "[" + "1," * 5 + "1]", 13),
        ("dict", {"key": "value"}, 16),
    ],
)
def test_a_value_longer_than_the_limit_is_refused_naming_the_parameter(
    settings, kind, given, length
):
    settings.PARAMETER_VALUE_MAX_CHARS = 10

    with pytest.raises(ParameterError) as refused:
        coerce(kind, given)

    assert refused.value.problems == [
        f"'p' is {length} characters long; at most 10 are accepted "
        "(PARAMETER_VALUE_MAX_CHARS): pass large data as a file parameter instead"
    ]


def test_a_value_at_the_limit_is_accepted(settings):
    settings.PARAMETER_VALUE_MAX_CHARS = 10

    assert coerce("string", "x" * 10) == "x" * 10
