"""What the API views share."""

import re

from django.core.validators import RegexValidator
from rest_framework import serializers


def validated(serializer_class: type[serializers.Serializer], data) -> dict:
    """``data`` checked by ``serializer_class``: its validated values, else a 400 per field."""
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


# A control character anywhere, and a visible character (neither a control nor whitespace,
# in Python's sense and in JSON Schema's, which adds U+FEFF) somewhere.
_CONTROL = r"\x00-\x1f\x7f-\x9f"
_CONTROL_CHARACTER = re.compile(f"[{_CONTROL}]")
TEXT_LINE_PATTERN = rf"\A[^{_CONTROL}]*[^\s\ufeff{_CONTROL}][^{_CONTROL}]*\Z"


class TextLineField(serializers.CharField):
    """A name or label: one line of text with a visible character, no control characters
    (spaces around it are dropped). The schema states the same rule as a pattern."""

    default_error_messages = {
        "control": "Control characters (line breaks, tabs, …) are not allowed here.",
        "no_text": "Give at least one visible character.",
    }

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        message = self.error_messages["no_text"]
        self.validators.append(RegexValidator(TEXT_LINE_PATTERN, message=message))

    def to_internal_value(self, data):
        if _CONTROL_CHARACTER.search(str(data)):
            self.fail("control")
        return super().to_internal_value(data)


# The JSON types each kind of field takes (DRF also takes, say, 0 for false or 5 for "5").
_JSON_TYPES: tuple[tuple[type[serializers.Field], tuple[type, ...]], ...] = (
    (serializers.BooleanField, (bool,)),
    (serializers.IntegerField, (int,)),
    (serializers.FloatField, (int, float)),
    (serializers.CharField, (str,)),
    (serializers.ChoiceField, (str,)),
    (serializers.TimeField, (str,)),
    (serializers.DictField, (dict,)),
    (serializers.ListField, (list,)),
)
_JSON_NAMES = {bool: "true or false", int: "a whole number", float: "a number", str: "text"}
_JSON_NAMES |= {dict: "an object", list: "a list"}


def _json_type_problem(field: serializers.Field, value) -> str | None:
    """What is wrong with ``value``'s JSON type for ``field``, or None when it fits."""
    if value is None:
        return None  # the field itself says whether null is allowed
    expected = next((types for kind, types in _JSON_TYPES if isinstance(field, kind)), None)
    if expected is None:
        return None
    if (isinstance(value, bool) and bool not in expected) or not isinstance(value, expected):
        return f"Expected {_JSON_NAMES[expected[0]]}, got {type(value).__name__}."
    if isinstance(field, serializers.ListField):
        problems = (_json_type_problem(field.child, item) for item in value)
        return next((problem for problem in problems if problem), None)
    return None


class JsonBodySerializer(serializers.Serializer):
    """A request body: given as JSON, each field must have the JSON type the schema states
    (form bodies are text by nature and keep DRF's conversions)."""

    def to_internal_value(self, data):
        if isinstance(data, dict) and not hasattr(data, "getlist"):  # JSON, not a QueryDict
            problems = {
                name: [problem]
                for name, field in self.fields.items()
                if name in data and (problem := _json_type_problem(field, data[name]))
            }
            if problems:
                raise serializers.ValidationError(problems)
        return super().to_internal_value(data)
