"""The one set of typing rules for parameter values, and the phrases that refuse a value."""

import pytest

from apps.core.json_input import JsonTooDeepError
from apps.steps.values import items_convert, value_as_text, value_convert


@pytest.mark.parametrize(
    ("kind", "given", "expected"),
    [
        ("integer", 5, 5),
        ("integer", 5.0, 5),
        ("integer", " 12 ", 12),
        ("integer", "+7", 7),
        ("integer", "-3", -3),
        ("float", "1.5", 1.5),
        ("float", " 2 ", 2.0),
        ("float", 2, 2.0),
        ("boolean", True, True),
        ("boolean", " true ", True),
        ("boolean", "Off", False),
        ("boolean", "YES", True),
        ("boolean", "1", True),
        ("boolean", 0, False),
        ("list", "[1,2]", [1, 2]),
        ("list", [1], [1]),
        ("dict", '{"a": 1}', {"a": 1}),
        ("string", 5, "5"),
        ("string", " x ", " x "),
        ("credential", "prod", "prod"),
        ("selector", "#a", "#a"),
        ("any", [True], [True]),
        ("unknown kind", "x", "x"),
    ],
)
def test_accepted_values(kind, given, expected):
    converted = value_convert(kind, given)

    assert converted == expected
    assert type(converted) is type(expected)


@pytest.mark.parametrize(
    ("kind", "given", "phrase"),
    [
        ("integer", "abc", "must be a whole number, not 'abc'"),
        ("integer", "5.0", "must be a whole number, not '5.0'"),
        ("integer", "1_000", "must be a whole number, not '1_000'"),
        ("integer", "١٢", "must be a whole number, not '١٢'"),
        ("integer", 1.5, "must be a whole number, not 1.5"),
        ("integer", True, "must be a whole number, not true"),
        ("integer", [1], "must be a whole number, not a list"),
        ("integer", "9" * 5000, f"must be a whole number, not '{'9' * 40}…'"),
        ("float", "x", "must be a number, not 'x'"),
        ("float", "nan", "must be a number, not 'nan'"),
        ("float", "inf", "must be a number, not 'inf'"),
        ("float", 10**400, "must be a number, not " + repr(10**400)),
        ("float", False, "must be a number, not false"),
        ("boolean", "maybe", "must be true or false, not 'maybe'"),
        ("boolean", 2, "must be true or false, not 2"),
        ("boolean", 1.0, "must be true or false, not 1.0"),
        ("list", "abc", "must be a list written as JSON (e.g. [1, 2]), not 'abc'"),
        ("list", "[a, b]", "must be a list written as JSON (e.g. [1, 2]), not '[a, b]'"),
        ("list", '{"a": 1}', "must be a list, not a mapping"),
        ("dict", [1], "must be a mapping, not a list"),
        ("dict", "x", 'must be a mapping written as JSON (e.g. {"key": "value"}), not \'x\''),
        ("string", {"a": 1}, "must be text, not a mapping"),
        ("string", True, "must be text, not true"),
        ("string", None, "must be text, not nothing"),
    ],
)
def test_refused_values_are_named_in_one_phrase(kind, given, phrase):
    with pytest.raises(ValueError, match="^must be") as refused:
        value_convert(kind, given)

    assert str(refused.value) == phrase


def test_json_text_nested_too_deeply_is_refused_naming_the_limit():
    with pytest.raises(JsonTooDeepError):
        value_convert("list", "[" * 20_000 + "]" * 20_000)


def test_items_are_converted_and_a_refused_item_is_numbered_from_one():
    assert items_convert("integer", ["1", 2.0]) == [1, 2]

    with pytest.raises(ValueError, match="^item 2") as refused:
        items_convert("integer", [1, "x"])

    assert str(refused.value) == "item 2 must be a whole number, not 'x'"


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("integer", 5),
        ("float", 1.5),
        ("boolean", False),
        ("list", ["a", 1]),
        ("dict", {"a": [1]}),
        ("string", "x"),
    ],
)
def test_the_text_a_form_shows_reads_back_as_the_value(kind, value):
    assert value_convert(kind, value_as_text(value)) == value
