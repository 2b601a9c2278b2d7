"""The same value gets the same type, or the same refusal, on every path that reads it.

Paths: a launch (``parameters_coerce``), a step's parameters when it runs (``params.coerce``),
the step editor's form (``step_from_post``, then the loader as the playbook is saved) and the
loader reading a value written in YAML.
"""

import json

import pytest
from django.http import QueryDict

from apps.executions.parameters import ParameterError, parameters_coerce
from apps.playbooks.forms import step_from_post
from apps.playbooks.loader import PlaybookValidationError, load_playbook
from apps.steps.errors import StepError
from apps.steps.params import coerce
from apps.steps.registry import get_step_type

CLICK = ("browser.click", {"selector": "#a"})
COMPONENTS = ("perspective.extract_component_metadata", {})
API = ("gateway.api_request", {"path": "status"})
WHOLE = "must be a whole number, not"
JSON_LIST = "must be a list written as JSON (e.g. [1, 2]), not"


def launch(step: tuple, name: str, given) -> tuple:
    kind = str(get_step_type(step[0]).get_param(name).type)
    try:
        typed = parameters_coerce(
            [{"name": name, "type": kind}], {name: given}, credential_names=()
        )
    except ParameterError as exc:
        return refused(exc.problems[0], name)
    return ("value", typed[name])


def run_step(step: tuple, name: str, given) -> tuple:
    try:
        return ("value", coerce(get_step_type(step[0]).get_param(name), given))
    except StepError as exc:
        return refused(str(exc), name)


def editor(step: tuple, name: str, text: str) -> tuple:
    type_id, others = step
    data = QueryDict(mutable=True)
    data.update({"id": "a", "name": "A", f"param-{name}": text})
    data.update({f"param-{key}": value for key, value in others.items()})
    saved = step_from_post(data, get_step_type(type_id).as_dict(), {})
    outcome = loader(step, name, saved["parameters"][name])
    return ("value", saved["parameters"][name]) if outcome == ("accepted",) else outcome


def loader(step: tuple, name: str, written) -> tuple:
    type_id, others = step
    item = {"id": "a", "name": "A", "type": type_id, "parameters": {**others, name: written}}
    document = {"name": "p", "version": "1", "steps": [item]}
    try:
        load_playbook(json.dumps(document))
    except PlaybookValidationError as exc:
        return refused(str(exc.issues[0]).split(": ", 2)[2], name)
    return ("accepted",)


def refused(message: str, name: str) -> tuple:
    """The phrase of a refusal, without the parameter's name (and unit) in front."""
    for prefix in (f"'{name}' (in ms) ", f"'{name}' "):
        if message.startswith(prefix):
            return ("refused", message.removeprefix(prefix))
    return ("refused", message)


@pytest.mark.parametrize(
    ("step", "name", "text", "expected"),
    [
        (CLICK, "timeout", "5.0", ("refused", f"{WHOLE} '5.0'")),
        (CLICK, "timeout", "abc", ("refused", f"{WHOLE} 'abc'")),
        (CLICK, "timeout", " 12 ", ("value", 12)),
        (CLICK, "timeout", "+12", ("value", 12)),
        (CLICK, "force", " true ", ("value", True)),
        (CLICK, "force", "yes", ("value", True)),
        (CLICK, "force", "maybe", ("refused", "must be true or false, not 'maybe'")),
        (COMPONENTS, "components", "[1,2]", ("value", [1, 2])),
        (COMPONENTS, "components", "[a, b]", ("refused", f"{JSON_LIST} '[a, b]'")),
        (COMPONENTS, "components", "abc", ("refused", f"{JSON_LIST} 'abc'")),
        (API, "query", '{"a": 1}', ("value", {"a": 1})),
        (API, "query", "[1]", ("refused", "must be a mapping, not a list")),
    ],
)
def test_form_text_is_typed_alike_at_launch_at_run_time_and_in_the_editor(
    step, name, text, expected
):
    assert launch(step, name, text) == expected
    assert run_step(step, name, text) == expected
    assert editor(step, name, text) == expected


@pytest.mark.parametrize(
    ("step", "name", "given", "expected"),
    [
        (CLICK, "timeout", 5.0, ("value", 5)),
        (CLICK, "timeout", 1.5, ("refused", f"{WHOLE} 1.5")),
        (CLICK, "timeout", True, ("refused", f"{WHOLE} true")),
        (CLICK, "timeout", "5000", ("value", 5000)),
        (CLICK, "force", "off", ("value", False)),
        (CLICK, "force", 2, ("refused", "must be true or false, not 2")),
        (COMPONENTS, "components", {"a": 1}, ("refused", "must be a list, not a mapping")),
    ],
)
def test_typed_values_are_typed_alike_at_launch_at_run_time_and_by_the_loader(
    step, name, given, expected
):
    assert launch(step, name, given) == expected
    assert run_step(step, name, given) == expected
    accepted = ("accepted",) if expected[0] == "value" else expected
    assert loader(step, name, given) == accepted
