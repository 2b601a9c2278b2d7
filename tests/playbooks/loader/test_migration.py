"""Lenient loading migrates the originals' forms, one warning per change; strict names the fix."""

import ast

from apps.playbooks.loader import load_playbook
from tests.playbooks.loader.helpers import errors, text, warnings

SCRIPT = text("""
    name: Module install
    version: "4.1"
    parameters:
      - {name: module_folder, type: string, default: /modules}
      - {name: prefer_unsigned, type: boolean, default: false}
    steps:
      - {id: key, name: Key, type: browser.get_text, parameters: {selector: "#k"}}
      - id: find
        name: Find the module
        type: utility.python
        parameters:
          code: |
            import os
            folder = "{{ module_folder }}"
            prefer = {{ prefer_unsigned }}
            key = r\"\"\"{{ step.key.text }}\"\"\"
            print(f"FOUND={len(os.listdir(folder))} in {{ module_folder }} {{{{x}}}}")
            print({'a': {'b': 1}})
""")


def test_templates_in_a_script_become_inputs_every_one_with_a_warning():
    loaded = load_playbook(SCRIPT, source="pb.yaml", lenient=True)

    parameters = loaded.steps[1]["parameters"]
    assert "code" not in parameters
    assert parameters["inputs"] == {
        "module_folder": "{{ module_folder }}",
        "prefer_unsigned": "{{ prefer_unsigned }}",
        "key_text": "{{ step.key.text }}",
    }
    script = parameters["script"]
    ast.parse(script)
    assert 'folder = str(inputs["module_folder"])' in script
    assert 'prefer = inputs["prefer_unsigned"]' in script
    assert 'key = str(inputs["key_text"])' in script
    assert "in {inputs['module_folder']} {{{{x}}}}\")" in script
    assert "{'a': {'b': 1}}" in script
    assert [str(w) for w in loaded.warnings] == [
        "pb.yaml:12:7: step 'find', key 'parameters.code': 'code' renamed to 'script'",
        "pb.yaml:14: step 'find', key 'parameters.code': '{{ module_folder }}' in the script "
        '(its line 2) now reads inputs["module_folder"]',
        "pb.yaml:15: step 'find', key 'parameters.code': '{{ prefer_unsigned }}' in the script "
        '(its line 3) now reads inputs["prefer_unsigned"]',
        "pb.yaml:16: step 'find', key 'parameters.code': '{{ step.key.text }}' in the script "
        '(its line 4) now reads inputs["key_text"]',
        "pb.yaml:17: step 'find', key 'parameters.code': '{{ module_folder }}' in the script "
        '(its line 5) now reads inputs["module_folder"]',
    ]


def test_a_migrated_script_loads_again_in_strict_mode():
    loaded = load_playbook(SCRIPT, lenient=True)
    steps = loaded.steps
    again = load_playbook(
        text("""
            name: Again
            version: "1"
            parameters:
              - {name: module_folder, type: string}
              - {name: prefer_unsigned, type: boolean}
            steps: []
        """).replace("steps: []", "steps:")
        + "".join(f"  - {_flow(step)}\n" for step in steps)
    )

    assert again.steps[1]["parameters"]["inputs"]["key_text"] == "{{ step.key.text }}"


def _flow(step: dict) -> str:
    import json

    return json.dumps({k: step[k] for k in ("id", "name", "type", "parameters")})


def test_existing_inputs_are_kept_and_names_do_not_collide():
    source = text("""
        name: P
        version: "1"
        parameters: [{name: x, type: string, default: a}]
        steps:
          - id: py
            name: Py
            type: utility.python
            parameters:
              inputs: {x: 42}
              script: "print({{ x }}, inputs['x'])"
    """)

    parameters = load_playbook(source, lenient=True).steps[0]["parameters"]

    assert parameters["inputs"] == {"x": 42, "x_2": "{{ x }}"}
    assert parameters["script"] == "print(inputs[\"x_2\"], inputs['x'])"


def test_secrets_never_move_into_a_script():
    source = text("""
        name: Designer
        version: "1"
        parameters: [{name: password, type: string}]
        steps:
          - id: py
            name: Type it
            type: utility.python
            parameters: {script: "type('{{ password }}')"}
    """)

    assert errors(source, lenient=True) == [
        "pb.yaml:8:26: step 'py', key 'parameters.script': '{{ password }}' would hand a secret "
        "to the Python script. Python steps receive no secrets: type or send it with a step that "
        "takes the credential (browser.fill, gateway.login, designer.login) and keep only "
        "non-secret values in the script"
    ]


NAVIGATE = text("""
    name: Login
    version: "2.0"
    steps:
      - id: open
        name: Open
        type: browser.navigate
        parameters: {url: "http://localhost:8088", timeout: 30}
""")


def test_navigate_timeouts_in_seconds_become_milliseconds():
    loaded = load_playbook(NAVIGATE, source="pb.yaml", lenient=True)

    assert loaded.steps[0]["parameters"]["timeout"] == 30000
    assert [str(w) for w in loaded.warnings] == [
        "pb.yaml:7:57: step 'open', key 'parameters.timeout': 'timeout: 30' read as seconds: "
        "now 'timeout: 30000' (ms)"
    ]


def test_navigate_timeouts_in_seconds_are_refused_in_strict_mode_with_the_fix():
    assert errors(NAVIGATE) == [
        "pb.yaml:7:57: step 'open', key 'parameters.timeout': 'timeout: 30' is 30 milliseconds. "
        "browser.navigate's timeout is in milliseconds: write 'timeout: 30000' for 30 seconds "
        "(lenient import does this)"
    ]
    assert warnings(NAVIGATE.replace("timeout: 30}", "timeout: 30000}")) == []


ABSENT = text("""
    name: Checks
    version: "1"
    steps:
      - id: attr
        name: Not disabled
        type: browser.verify_attribute
        parameters: {selector: "#go", attribute: disabled, value: null}
""")


def test_verify_attribute_value_null_becomes_absent():
    loaded = load_playbook(ABSENT, source="pb.yaml", lenient=True)

    assert loaded.steps[0]["parameters"] == {
        "selector": "#go",
        "attribute": "disabled",
        "absent": True,
    }
    assert [str(w) for w in loaded.warnings] == [
        "pb.yaml:7:63: step 'attr', key 'parameters.value': 'value: null' (attribute absent) "
        "is now 'absent: true'"
    ]


def test_verify_attribute_value_null_in_strict_mode_names_the_fix():
    assert errors(ABSENT) == [
        "pb.yaml:7:63: step 'attr', key 'parameters.value': 'value: null' does not check "
        "anything. To check that the attribute is absent write 'absent: true' instead of "
        "'value: null' (lenient import does this)"
    ]


def test_playbook_path_is_renamed_in_lenient_mode():
    source = text("""
        name: Master
        version: "1"
        steps:
          - id: child
            name: Child
            type: playbook.run
            parameters: {playbook_path: gateway/gateway_login.yaml}
    """)

    loaded = load_playbook(source, source="pb.yaml", lenient=True)

    assert loaded.steps[0]["parameters"] == {"playbook": "gateway/gateway_login.yaml"}
    assert [str(w) for w in loaded.warnings] == [
        "pb.yaml:7:18: step 'child', key 'parameters.playbook_path': 'playbook_path' renamed "
        "to 'playbook'"
    ]
