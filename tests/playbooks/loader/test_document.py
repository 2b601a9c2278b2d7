"""Format checks of §2.1–§2.3: top-level keys, parameter definitions, step headers."""

import pytest

from apps.executions.parameters import parameters_coerce
from apps.playbooks.loader import ValidationIssue, load_playbook
from tests.playbooks.loader.helpers import HEADER, errors, with_steps

LOG = "- {id: a, name: A, type: utility.log}"


@pytest.mark.parametrize(
    ("_case", "source", "expected"),
    [
        (
            "a list",
            "- a\n- b\n",
            [
                "pb.yaml:1:1: A playbook is a mapping with 'name', 'version' "
                "and 'steps', found a list"
            ],
        ),
        (
            "text",
            "hello\n",
            ["pb.yaml:1:1: A playbook is a mapping with 'name', 'version' and 'steps', found text"],
        ),
        (
            "nothing required",
            "description: x\n",
            [
                "pb.yaml:1:1: Missing required key 'name'. Add 'name: ...'",
                "pb.yaml:1:1: Missing required key 'version'. Add 'version: ...'",
                "pb.yaml:1:1: key 'steps': 'steps' must be a non-empty list, found nothing. Add at "
                "least one step: '- id: ...' with 'name:' and 'type:'",
            ],
        ),
        (
            "empty steps",
            HEADER + "steps: []\n",
            [
                "pb.yaml:3:8: key 'steps': 'steps' must be a non-empty list, found a list. Add at "
                "least one step: '- id: ...' with 'name:' and 'type:'"
            ],
        ),
        (
            "blank name",
            'name: " "\nversion: "1"\nsteps:\n  ' + LOG + "\n",
            ["pb.yaml:1:7: key 'name': 'name' must be non-empty text, found text"],
        ),
        (
            "unknown key",
            HEADER + "step: []\nsteps:\n  " + LOG + "\n",
            ["pb.yaml:3:1: key 'step': Unknown top-level key 'step'. Did you mean 'steps'?"],
        ),
        (
            "bad metadata",
            HEADER + "metadata: [a]\nverified: 'yes'\nsteps:\n  " + LOG + "\n",
            [
                "pb.yaml:3:11: key 'metadata': 'metadata' must be a mapping, found a list",
                "pb.yaml:4:11: key 'verified': 'verified' must be true or false",
            ],
        ),
        (
            "bad domain",
            HEADER + "domain: scada\nsteps:\n  " + LOG + "\n",
            [
                "pb.yaml:3:9: key 'domain': Unknown domain 'scada'. Use one of: gateway, "
                "perspective, designer"
            ],
        ),
        (
            "domains disagree",
            HEADER + "domain: gateway\nmetadata: {domain: designer}\nsteps:\n  " + LOG + "\n",
            [
                "pb.yaml:4:20: key 'metadata.domain': 'domain' and 'metadata.domain' "
                "disagree. Keep only the top-level 'domain'"
            ],
        ),
        (
            "version number",
            "name: D\nversion: 2.10\nsteps:\n  " + LOG + "\n",
            [
                "pb.yaml:2:10: key 'version': 'version' must be text, found a number. Quote it: "
                'version: "2.1" (a number loses digits such as 2.10)'
            ],
        ),
        (
            "parameters not a list",
            HEADER + "parameters: {a: 1}\nsteps:\n  " + LOG + "\n",
            [
                "pb.yaml:3:13: key 'parameters': 'parameters' must be a list, found a mapping. "
                "Write "
                "each parameter as '- name: ...' with 'type:'"
            ],
        ),
    ],
)
def test_top_level_errors(_case, source, expected):
    assert errors(source) == expected


def test_version_number_is_a_warning_when_lenient():
    playbook = load_playbook("name: D\nversion: 2\nsteps:\n  " + LOG + "\n", lenient=True)

    assert playbook.version == "2"
    assert [w.message for w in playbook.warnings] == ["'version' is a number"]


def test_unknown_top_level_key_is_a_warning_when_lenient():
    playbook = load_playbook(HEADER + "author: me\nsteps:\n  " + LOG + "\n", lenient=True)

    assert [str(w) for w in playbook.warnings] == [
        "<playbook>:3:1: key 'author': Unknown top-level key 'author' (ignored). Allowed keys: "
        "name, version, description, domain, group, verified, metadata, parameters, steps"
    ]


@pytest.mark.parametrize(
    ("_case", "parameters", "expected"),
    [
        (
            "not a mapping",
            "- gateway_url",
            ["pb.yaml:4:5: key 'parameters[0]': A parameter must be a mapping, found text"],
        ),
        (
            "missing name and type",
            "- {description: x}",
            [
                "pb.yaml:4:5: key 'parameters[0]': Missing required key 'name'. Add 'name: ...'",
                "pb.yaml:4:5: key 'parameters[0]': Missing required key 'type'. Add 'type: ...'",
            ],
        ),
        (
            "type synonym",
            "- {name: a, type: str}",
            [
                "pb.yaml:4:21: key 'parameters[0].type': Unknown parameter type 'str'. Write "
                "'string'"
            ],
        ),
        (
            "misspelt type",
            "- {name: a, type: integr}",
            [
                "pb.yaml:4:21: key 'parameters[0].type': Unknown parameter type 'integr'. Did you "
                "mean 'integer'?"
            ],
        ),
        (
            "unknown type",
            "- {name: a, type: zzz}",
            [
                "pb.yaml:4:21: key 'parameters[0].type': Unknown parameter type 'zzz'. Use one of: "
                "string, integer, float, boolean, file, credential, list, dict"
            ],
        ),
        (
            "twice",
            "- {name: a, type: string}\n- {name: a, type: string}",
            ["pb.yaml:5:12: key 'parameters[1].name': Parameter 'a' is defined twice"],
        ),
        (
            "reserved",
            "- {name: step, type: string}",
            [
                "pb.yaml:4:12: key 'parameters[0].name': Parameter name 'step' is reserved for "
                "'{{ step.<name> }}' references. Choose another name"
            ],
        ),
        (
            "unusable name",
            "- {name: 'my url', type: string}",
            [
                "pb.yaml:4:12: key 'parameters[0].name': Parameter name 'my url' is not usable in "
                "'{{ my url }}'. Use letters, digits, '_' and '-' only"
            ],
        ),
        (
            "required not bool",
            "- {name: a, type: string, required: 'no'}",
            ["pb.yaml:4:39: key 'parameters[0].required': 'required' must be true or false"],
        ),
        (
            "default of wrong type",
            "- {name: a, type: integer, default: 'five'}",
            [
                "pb.yaml:4:39: key 'parameters[0].default': The default of 'a' must be a whole "
                "number, not 'five'"
            ],
        ),
        (
            "number as a text default",
            "- {name: a, type: string, default: 1.10}",
            [
                "pb.yaml:4:38: key 'parameters[0].default': The default of 'a' must be text, "
                "found a number. Quote it to make it text"
            ],
        ),
        (
            "unknown key",
            "- {name: a, type: string, label: A}",
            [
                "pb.yaml:4:29: key 'parameters[0].label': Unknown parameter key 'label'. Allowed "
                "keys: name, type, required, default, description, secret"
            ],
        ),
        (
            "unknown credential default",
            "- {name: c, type: credential, default: prod}",
            [
                "pb.yaml:4:42: key 'parameters[0].default': Credential 'prod' does not exist. Did "
                "you mean 'prod1'?"
            ],
        ),
        (
            "no such credential",
            "- {name: c, type: credential, default: zzz}",
            [
                "pb.yaml:4:42: key 'parameters[0].default': Credential 'zzz' does not exist. "
                "Create "
                "it under Credentials, or use the name of an existing one"
            ],
        ),
    ],
)
def test_parameter_definition_errors(_case, parameters, expected):
    source = with_steps(LOG, parameters=parameters)

    assert errors(source, credential_names={"prod1"}) == expected


def test_a_default_is_typed_as_a_launch_types_a_value():
    source = with_steps(
        LOG,
        parameters="- {name: n, type: integer, required: false, default: '5'}\n"
        "- {name: flag, type: boolean, required: false, default: 'yes'}",
    )

    playbook = load_playbook(source)

    assert parameters_coerce(playbook.parameters, {}, credential_names=()) == {"n": 5, "flag": True}


def test_parameter_description_key_dropped_when_lenient():
    source = with_steps(LOG, parameters="- {name: a, type: string, label: A}")

    playbook = load_playbook(source, lenient=True)

    assert playbook.parameters == [
        {"name": "a", "type": "string", "required": True, "default": None, "description": ""}
    ]


@pytest.mark.parametrize(
    ("_case", "steps", "expected"),
    [
        (
            "not a mapping",
            "- utility.log",
            [
                "pb.yaml:4:5: key 'steps[0]': A step must be a mapping, found text. Write each "
                "step "
                "as '- id: ...' with 'name:' and 'type:'"
            ],
        ),
        (
            "missing keys",
            "- {parameters: {}}",
            [
                "pb.yaml:4:5: Missing required key 'id'. Add 'id: ...'",
                "pb.yaml:4:5: Missing required key 'name'. Add 'name: ...'",
                "pb.yaml:4:5: Missing required key 'type'. Add 'type: ...'",
            ],
        ),
        (
            "missing name only",
            "- {id: a, type: utility.log, parameters: {message: hi}}",
            ["pb.yaml:4:5: step 'a': Missing required key 'name'. Add 'name: ...'"],
        ),
        (
            "numeric id",
            "- {id: 1, name: A, type: utility.log}",
            [
                "pb.yaml:4:10: key 'steps[0].id': Step id 1 is not usable in "
                "'{{ step.<id>.<key> }}'. Use text made of letters, digits, '_' and '-'"
            ],
        ),
        (
            "empty name",
            "- {id: a, name: '', type: utility.log}",
            ["pb.yaml:4:19: step 'a', key 'name': 'name' must be non-empty text"],
        ),
        (
            "type not text",
            "- {id: a, name: A, type: [x]}",
            ["pb.yaml:4:28: step 'a', key 'type': 'type' must be text, found a list"],
        ),
        (
            "unknown type",
            "- {id: a, name: A, type: browser.clik}",
            [
                "pb.yaml:4:28: step 'a', key 'type': Unknown step type 'browser.clik': did you "
                "mean "
                "'browser.click' or 'browser.wait' or 'browser.fill'? (docs/steps.md lists "
                "every "
                "type)"
            ],
        ),
        (
            "removed type",
            "- {id: a, name: A, type: ai.generate}",
            [
                "pb.yaml:4:28: step 'a', key 'type': ai.generate cannot run. The originals' "
                "ai.generate was a placeholder that never produced a result and was removed; use "
                "perspective.verify_with_ai or perspective.analyze_with_ai"
            ],
        ),
        (
            "bad on_failure",
            "- {id: a, name: A, type: utility.log, on_failure: skip}",
            [
                "pb.yaml:4:53: step 'a', key 'on_failure': 'on_failure' must be 'abort' or "
                "'continue', found 'skip'"
            ],
        ),
        (
            "timeout text",
            "- {id: a, name: A, type: utility.log, timeout: 5s}",
            [
                "pb.yaml:4:50: step 'a', key 'timeout': 'timeout' must be a number of seconds, "
                "found text"
            ],
        ),
        (
            "timeout zero",
            "- {id: a, name: A, type: utility.log, timeout: 0}",
            ["pb.yaml:4:50: step 'a', key 'timeout': 'timeout' must be more than 0 seconds"],
        ),
        (
            "negative retries",
            "- {id: a, name: A, type: utility.log, retry_count: -1}",
            ["pb.yaml:4:54: step 'a', key 'retry_count': 'retry_count' must be at least 0"],
        ),
        (
            "fractional retries",
            "- {id: a, name: A, type: utility.log, retry_count: 1.5}",
            [
                "pb.yaml:4:54: step 'a', key 'retry_count': 'retry_count' must be a whole number, "
                "found a number"
            ],
        ),
        (
            "parameters not a mapping",
            "- {id: a, name: A, type: utility.log, parameters: [x]}",
            [
                "pb.yaml:4:53: step 'a', key 'parameters': 'parameters' must be a mapping, found a "
                "list"
            ],
        ),
        (
            "duplicate id",
            "- {id: a, name: A, type: utility.log}\n- {id: a, name: B, type: utility.log}",
            [
                "pb.yaml:5:10: step 'a', key 'id': Duplicate step id 'a' (first used "
                "on line 4). Step ids must be unique"
            ],
        ),
    ],
)
def test_step_header_errors(_case, steps, expected):
    assert errors(with_steps(steps)) == expected
    assert errors(with_steps(steps), lenient=True) == expected


def test_issue_text_without_position_or_context():
    issue = ValidationIssue("Too big", "f.yaml", None, None, None, None, None, "error")

    assert str(issue) == "f.yaml: Too big"
