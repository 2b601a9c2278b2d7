"""Each step's parameters are checked against its step type's schema."""

import pytest

from apps.playbooks.loader import load_playbook
from tests.playbooks.loader.helpers import errors, with_steps

PARAMETERS = "- {name: wait_ms, type: integer, default: 100}\n- {name: url, type: string}"


def _step(step_type: str, parameters: str) -> str:
    return with_steps(
        f"- id: s\n  name: S\n  type: {step_type}\n  parameters: {parameters}",
        parameters=PARAMETERS,
    )


@pytest.mark.parametrize(
    ("_case", "step_type", "parameters", "expected"),
    [
        (
            "misspelt",
            "browser.click",
            "{selector: '#a', timout: 5}",
            "key 'parameters.timout': browser.click has no parameter 'timout'. Did you mean "
            "'timeout'?",
        ),
        (
            "unknown",
            "browser.click",
            "{selector: '#a', colour: red}",
            "key 'parameters.colour': browser.click has no parameter 'colour'. Allowed: "
            "selector, timeout, force",
        ),
        (
            "no parameters at all",
            "gateway.logout",
            "{force: true}",
            "key 'parameters.force': gateway.logout has no parameter 'force'. gateway.logout "
            "takes no parameters",
        ),
        (
            "missing required",
            "browser.fill",
            "{selector: '#a'}",
            "key 'parameters': browser.fill needs parameter 'value'. Add 'value:' under "
            "'parameters' (Text to enter.)",
        ),
        (
            "required but empty",
            "browser.fill",
            "{selector: '#a', value: null}",
            "key 'parameters': browser.fill needs parameter 'value'. Add 'value:' under "
            "'parameters' (Text to enter.)",
        ),
        (
            "enum",
            "browser.navigate",
            "{url: 'http://x', wait_until: networkidel}",
            "key 'parameters.wait_until': 'wait_until' must be one of: load, domcontentloaded, "
            "networkidle; found 'networkidel'. Did you mean 'networkidle'?",
        ),
        (
            "enum without close match",
            "utility.log",
            "{level: loud}",
            "key 'parameters.level': 'level' must be one of: debug, info, warning, error; found "
            "'loud'",
        ),
        (
            "minimum",
            "browser.click",
            "{selector: '#a', timeout: -1}",
            "key 'parameters.timeout': 'timeout' must be at least 0",
        ),
        (
            "number for text",
            "browser.fill",
            "{selector: '#a', value: 123}",
            "key 'parameters.value': 'value' must be text, found an integer. Quote it to make it "
            "text",
        ),
        (
            "text for integer",
            "browser.click",
            "{selector: '#a', timeout: '5s'}",
            "key 'parameters.timeout': 'timeout' must be a whole number, not '5s'",
        ),
        (
            "bool for integer",
            "browser.click",
            "{selector: '#a', timeout: true}",
            "key 'parameters.timeout': 'timeout' must be a whole number, not true",
        ),
        (
            "text for boolean",
            "browser.click",
            "{selector: '#a', force: 'maybe'}",
            "key 'parameters.force': 'force' must be true or false, not 'maybe'",
        ),
        (
            "mixed template for integer",
            "browser.click",
            "{selector: '#a', timeout: '{{ wait_ms }}0'}",
            "key 'parameters.timeout': 'timeout' mixes text and references, so it would be text, "
            "but it must be an integer. Use exactly one reference such as '{{ parameter.name }}', "
            "which keeps its type",
        ),
        (
            "list items",
            "perspective.discover_page",
            "{types: [button, 3]}",
            "key 'parameters.types[1]': 'types' item 2 must be text, found an integer. Quote it "
            "to make it text",
        ),
        (
            "dict items",
            "perspective.execute_test_manifest",
            "{manifest: [x]}",
            "key 'parameters.manifest[0]': 'manifest' item 1 must be a mapping written as JSON "
            '(e.g. {"key": "value"}), not \'x\'',
        ),
        (
            "absolute artifact path",
            "browser.screenshot",
            "{path: /etc/passwd}",
            "key 'parameters.path': 'path' must be a relative path without '..', found "
            "'/etc/passwd'. Files are stored with the run; write a name such as 'login/after.png'",
        ),
        (
            "parent artifact path",
            "browser.screenshot",
            "{name: '../x'}",
            "key 'parameters.name': 'name' must be a relative path without '..', found '../x'. "
            "Files are stored with the run; write a name such as 'login/after.png'",
        ),
        (
            "windows drive",
            "fat.export_report",
            "{report_id: r, output_path: 'C:\\x.pdf'}",
            "key 'parameters.output_path': 'output_path' must be a relative path without '..', "
            "found 'C:\\\\x.pdf'. Files are stored with the run; write a name such as "
            "'login/after.png'",
        ),
        (
            "empty selector",
            "browser.click",
            "{selector: ' '}",
            "key 'parameters.selector': 'selector' must not be empty",
        ),
        (
            "one of",
            "browser.keyboard",
            "{selector: '#a'}",
            "key 'parameters': browser.keyboard needs one of 'key' or 'text'",
        ),
        (
            "exclusive",
            "browser.screenshot",
            "{name: a, path: b.png}",
            "key 'parameters.path': Give only one of 'name' or 'path'",
        ),
        (
            "unknown credential",
            "designer.launch_shortcut",
            "{designer_shortcut: x, project_name: p, gateway_credential: prod}",
            "key 'parameters.gateway_credential': Credential 'prod' does not exist. Did you mean "
            "'prod1'?",
        ),
        (
            "missing child",
            "playbook.run",
            "{playbook: gateway/nope.yaml}",
            "key 'parameters.playbook': Child playbook 'gateway/nope.yaml' not found. Give the "
            "path "
            "relative to the playbook library, e.g. 'gateway/gateway_login.yaml'",
        ),
        (
            "child outside the library",
            "playbook.run",
            "{playbook: ../secret.yaml}",
            "key 'parameters.playbook': 'playbook' must be a relative path without '..', found "
            "'../secret.yaml'. Files are stored with the run; write a name such as "
            "'login/after.png'",
        ),
        (
            "step option",
            "utility.log",
            "{on_failure: continue}",
            "key 'parameters.on_failure': utility.log has no parameter 'on_failure'. It is a step "
            "option, not a parameter: move it out of 'parameters' to the step",
        ),
    ],
)
def test_parameter_errors(_case, step_type, parameters, expected):
    found = errors(
        _step(step_type, parameters),
        credential_names={"prod1"},
        child_exists=lambda path: path == "gateway/gateway_login.yaml",
    )

    assert len(found) == 1
    assert found[0].split(": step 's', ", 1)[1] == expected


def test_error_points_at_the_value():
    source = _step("browser.click", "\n    selector: '#a'\n    timeout: '5s'")

    assert errors(source)[0].startswith("pb.yaml:12:16: step 's', key 'parameters.timeout'")


@pytest.mark.parametrize(
    ("_case", "step_type", "parameters"),
    [
        (
            "single reference keeps any type",
            "browser.click",
            "{selector: '#a', timeout: '{{ wait_ms }}', force: '{{ url }}'}",
        ),
        ("mixed template for text", "browser.navigate", "{url: '{{ url }}/x'}"),
        ("templated list items", "perspective.discover_page", "{types: ['{{ url }}']}"),
        (
            "templated child is checked at run time",
            "playbook.run",
            "{playbook: 'gateway/{{ url }}.yaml'}",
        ),
        (
            "child found, extra keys are child parameters",
            "playbook.run",
            "{playbook: gateway/gateway_login.yaml, gateway_url: '{{ url }}', timeout: 2}",
        ),
        ("optional null", "browser.click", "{selector: '#a', timeout: null}"),
        (
            "known credential",
            "designer.launch_shortcut",
            "{designer_shortcut: x, project_name: p, gateway_credential: prod1}",
        ),
        ("templated artifact path", "browser.screenshot", "{path: '{{ url }}.png'}"),
        ("no parameters key", "gateway.ping", "null"),
    ],
)
def test_valid_parameters(_case, step_type, parameters):
    load_playbook(
        _step(step_type, parameters),
        credential_names={"prod1"},
        child_exists=lambda path: path == "gateway/gateway_login.yaml",
    )


def test_checks_are_skipped_without_callbacks():
    source = _step(
        "designer.launch_shortcut",
        "{designer_shortcut: x, project_name: p, gateway_credential: anything}",
    )

    load_playbook(source)
    load_playbook(_step("playbook.run", "{playbook: any/where.yaml}"))


def test_unknown_parameters_are_dropped_when_lenient():
    playbook = load_playbook(_step("browser.click", "{selector: '#a', colour: red}"), lenient=True)

    assert playbook.steps[0]["parameters"] == {"selector": "#a"}
    assert playbook.warnings[0].key == "parameters.colour"
    assert playbook.warnings[0].step_id == "s"
