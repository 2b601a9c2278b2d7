"""Template references are checked at load time: names, earlier steps, outputs, credentials."""

import pytest

from apps.playbooks.loader import load_playbook
from tests.playbooks.loader.helpers import errors, with_steps

PARAMETERS = (
    "- {name: url, type: string}\n- {name: cred, type: credential}\n"
    "- {name: opts, type: dict, required: false}\n- {name: ids, type: list, required: false}"
)
FIRST = "- {id: first, name: F, type: browser.get_text, parameters: {selector: '#a'}}\n"


def _log(message: str, before: str = FIRST, after: str = "") -> str:
    steps = (
        before
        + f'- {{id: log, name: L, type: utility.log, parameters: {{message: "{message}"}}}}\n'
    )
    return with_steps(steps + after, parameters=PARAMETERS)


@pytest.mark.parametrize(
    ("_case", "message", "expected"),
    [
        (
            "undeclared parameter",
            "{{ ulr }}",
            "'{{ ulr }}' refers to an undeclared parameter 'ulr'. Did you mean 'url'?",
        ),
        (
            "undeclared long form",
            "{{ parameter.gateway }}",
            "'{{ parameter.gateway }}' refers to an undeclared parameter 'gateway'. Declare it "
            "under 'parameters:' (- name: gateway, type: string)",
        ),
        (
            "field of a text parameter",
            "{{ url.host }}",
            "'{{ url.host }}': parameter 'url' is a string, it has no fields. Write '{{ url }}'",
        ),
        (
            "bad credential parameter field",
            "{{ cred.token }}",
            "'{{ cred.token }}': a credential has no 'token'. Use one of: username, password, "
            "gateway_url, description",
        ),
        (
            "unknown credential",
            "{{ credential.prd.password }}",
            "'{{ credential.prd.password }}' refers to credential 'prd', which does not exist. Did "
            "you mean 'prod'?",
        ),
        (
            "credential that is a parameter",
            "{{ credential.cred.username }}",
            "'{{ credential.cred.username }}' refers to credential 'cred', which does not exist. "
            "'cred' is a parameter: write '{{ parameter.cred }}'",
        ),
        (
            "bad credential field",
            "{{ credential.prod.secret.x }}",
            "'{{ credential.prod.secret.x }}': a credential has no 'secret.x'. Use one of: "
            "username, password, gateway_url, description",
        ),
        (
            "variable never set",
            "{{ variable.count }}",
            "'{{ variable.count }}': variable 'count' is not set by any earlier step. Set it first "
            "with a utility.set_variable step (name: count)",
        ),
        (
            "own output",
            "{{ step.log.logged }}",
            "'{{ step.log.logged }}': a step cannot use its own output",
        ),
        (
            "later step",
            "{{ step.last.text }}",
            "'{{ step.last.text }}': step 'last' runs after this step. Only earlier steps can be "
            "referenced",
        ),
        (
            "unknown step",
            "{{ step.frist.text }}",
            "'{{ step.frist.text }}' refers to an unknown step 'frist'. Did you mean 'first'?",
        ),
        (
            "unknown output",
            "{{ step.first.txt }}",
            "'{{ step.first.txt }}': browser.get_text has no output 'txt'. Did you mean 'text'?",
        ),
        (
            "unknown output without match",
            "{{ step.first.zzz }}",
            "'{{ step.first.zzz }}': browser.get_text has no output 'zzz'. Its outputs: selector, "
            "text, status",
        ),
        (
            "malformed",
            "{{ url | lower }}",
            "Invalid reference '{{ url | lower }}': references are dotted names such as "
            "'{{ step.login.status }}'; filters, expressions and spaces are not supported",
        ),
    ],
)
def test_reference_errors(_case, message, expected):
    source = _log(
        message, after="- {id: last, name: X, type: browser.get_text, parameters: {selector: '#b'}}"
    )

    found = errors(source, credential_names={"prod"})

    assert found == [f"pb.yaml:10:65: step 'log', key 'parameters.message': {expected}"]


@pytest.mark.parametrize(
    ("_case", "message", "before"),
    [
        ("dict parameter key", "{{ opts.a.b }} {{ ids.0 }}", FIRST),
        ("credential parameter field", "{{ cred.password }} {{ cred }}x", FIRST),
        ("whole step output", "{{ step.first }} {{ step.first.text }}", FIRST),
        (
            "variable set earlier",
            "{{ variable.count }}",
            "- {id: set, name: S, type: utility.set_variable, parameters: {name: count, value: "
            "1}}\n",
        ),
        (
            "templated variable name",
            "{{ variable.anything }}",
            "- {id: set, name: S, type: utility.set_variable, parameters: {name: '{{ url }}'}}\n",
        ),
        (
            "script may set variables",
            "{{ variable.x }} {{ step.py.ANY_KEY }}",
            "- {id: py, name: P, type: utility.python, parameters: {script: 'print(1)'}}\n",
        ),
        ("credential without a name list", "{{ credential.whatever.username }}", FIRST),
    ],
)
def test_valid_references(_case, message, before):
    load_playbook(_log(message, before=before))


def test_credential_names_are_checked_when_given():
    source = _log("{{ credential.whatever.username }}")

    assert len(errors(source, credential_names=[])) == 1


def test_references_in_nested_values_point_at_the_value():
    source = with_steps(
        "- id: m\n  name: M\n  type: perspective.execute_test_manifest\n  parameters:\n"
        "    manifest:\n      - {component_id: b1, action: click, selector: '{{ nope }}'}",
        parameters=PARAMETERS,
    )

    assert errors(source) == [
        "pb.yaml:14:55: step 'm', key 'parameters.manifest[0].selector': '{{ nope }}' refers "
        "to an undeclared parameter 'nope'. Declare it under 'parameters:' (- name: nope, "
        "type: string)"
    ]


def test_references_inside_child_parameters_are_checked():
    source = with_steps(
        "- {id: c, name: C, type: playbook.run, parameters: {playbook: a.yaml, x: '{{ y }}'}}",
    )

    assert errors(source)[0].endswith(
        "'{{ y }}' refers to an undeclared parameter 'y'. Declare "
        "it under 'parameters:' (- name: y, type: string)"
    )


@pytest.mark.parametrize(
    ("_case", "reference", "after", "hint"),
    [
        (
            "set by a later step",
            "{{ variable.count }}",
            "- {id: set_count, name: S, type: utility.set_variable, "
            "parameters: {name: count, value: 1}}",
            "Step 'set_count' sets it, but runs later: move 'set_count' before this step",
        ),
        (
            "a parameter",
            "{{ variable.url }}",
            "",
            "'url' is a parameter: write '{{ url }}'",
        ),
    ],
)
def test_a_variable_used_before_it_is_set_gets_the_right_fix(_case, reference, after, hint):
    source = _log(reference, after=after)

    found = errors(source)

    variable = reference.split(".")[1].rstrip(" }")
    assert found == [
        f"pb.yaml:10:65: step 'log', key 'parameters.message': '{reference}': variable "
        f"'{variable}' is not set by any earlier step. {hint}"
    ]
