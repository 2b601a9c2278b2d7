"""The originals' common mistakes get a precise error (file:line:col, step, key, fix)."""

import pytest

from apps.playbooks.loader import load_playbook
from tests.playbooks.loader.helpers import errors, text, warnings

ORIGINAL = text("""
    name: Gateway Login
    version: "2.0"
    steps:
      - id: open
        name: Open
        type: browser.navigate
        retry: 3
        parameters:
          url: http://localhost:8088
          timeout: 30000
          wait_for: networkidle
      - id: check
        name: Check
        type: browser.verify
        parameters:
          selector: "#home"
          state: visible
          retry_count: 2
      - id: shot
        name: Shot
        type: browser.screenshot
        parameters:
          path: screenshots/home.png
          timeout: 5
""")

WAIT_FOR = (
    "pb.yaml:11:7: step 'open', key 'parameters.wait_for': browser.navigate has no parameter "
    "'wait_for'{ignored}. Use 'wait_until: load', 'domcontentloaded' or 'networkidle', or add a "
    "browser.wait step for the selector to wait for"
)
RETRY = (
    "pb.yaml:7:5: step 'open', key 'retry': Unknown step key 'retry'{ignored}. Write "
    "'retry_count: N' (extra attempts) and optionally 'retry_delay: S' (seconds) on the step"
)
OPTION = (
    "pb.yaml:{line}:7: step '{step}', key 'parameters.{key}': {type} has no parameter "
    "'{key}'{ignored}. It is a step option, not a parameter: move it out of 'parameters' to the "
    "step"
)


def _expected(ignored: str) -> list[str]:
    return [
        RETRY.format(ignored=ignored),
        WAIT_FOR.format(ignored=ignored),
        OPTION.format(
            line=18, step="check", key="retry_count", type="browser.verify", ignored=ignored
        ),
        OPTION.format(
            line=24, step="shot", key="timeout", type="browser.screenshot", ignored=ignored
        ),
    ]


def test_strict_mode_reports_every_ignored_key():
    assert errors(ORIGINAL) == _expected("")


def test_lenient_mode_warns_and_drops_them():
    playbook = load_playbook(ORIGINAL, source="pb.yaml", lenient=True)

    assert [str(w) for w in playbook.warnings] == _expected(" (ignored)")
    assert all(w.severity == "warning" for w in playbook.warnings)
    assert playbook.steps[0]["parameters"] == {"url": "http://localhost:8088", "timeout": 30000}
    assert playbook.steps[1]["parameters"] == {"selector": "#home", "state": "visible"}
    assert playbook.steps[2]["parameters"] == {"path": "screenshots/home.png"}
    assert playbook.data["steps"][0]["retry"] == 3


def test_honoured_keys_of_the_originals_are_valid():
    """navigate timeout, verify state and screenshot path are parameters now (issue 7)."""
    source = ORIGINAL.replace("    retry: 3\n", "").replace("      wait_for: networkidle\n", "")
    source = source.replace("      retry_count: 2\n", "").replace("      timeout: 5\n", "")

    assert load_playbook(source).warnings == []


def test_code_instead_of_script_is_an_error_in_strict_mode():
    source = text("""
        name: Perspective buttons
        version: "1"
        steps:
          - id: build
            name: Build manifest
            type: utility.python
            parameters:
              code: print(f"{len([1])} {{x}}")
    """)

    assert errors(source) == [
        "pb.yaml:8:7: step 'build', key 'parameters.code': utility.python has no parameter "
        "'code'. The Python source goes under 'script:'; rename the key"
    ]


def test_playbook_path_instead_of_playbook():
    source = text("""
        name: Master
        version: "1"
        steps:
          - id: child
            name: Child
            type: playbook.run
            parameters: {playbook_path: gateway/gateway_login.yaml}
    """)

    assert errors(source) == [
        "pb.yaml:7:18: step 'child', key 'parameters.playbook_path': playbook.run has no "
        "parameter 'playbook_path'. The child's path goes under 'playbook:', e.g. 'playbook: "
        "gateway/gateway_login.yaml'"
    ]


def test_rollback_is_rejected_in_both_modes():
    source = text("""
        name: Demo
        version: "1"
        steps:
          - {id: a, name: A, type: utility.log, on_failure: rollback}
    """)
    expected = [
        "pb.yaml:4:53: step 'a', key 'on_failure': 'on_failure: rollback' is not supported. "
        "There is no rollback or cleanup-steps format: use 'on_failure: abort', or "
        "'on_failure: continue' followed by explicit cleanup steps"
    ]

    assert errors(source) == expected
    assert errors(source, lenient=True) == expected


def test_templates_spliced_into_python_are_refused_in_strict_mode_each_one():
    source = text("""
        name: API key
        version: "1"
        steps:
          - {id: key, name: Key, type: browser.get_text, parameters: {selector: "#k"}}
          - id: store
            name: Store
            type: utility.python
            parameters:
              script: |
                key = r\"\"\"{{ step.key.text }}\"\"\"
                print({{ step.key.selector }})
    """)
    message = (
        "pb.yaml:9:15: step 'store', key 'parameters.script': Templates are not allowed in "
        "'script' ('{ref}'). Values are never spliced into code: pass them as data under "
        "'inputs' (e.g. inputs: {{x: '{ref}'}}) and read inputs['x'] (lenient import does this)"
    )

    assert errors(source) == [
        message.format(ref="{{ step.key.text }}"),
        message.format(ref="{{ step.key.selector }}"),
    ]


def test_python_braces_that_are_not_references_are_fine():
    source = text("""
        name: Braces
        version: "1"
        steps:
          - id: py
            name: Py
            type: utility.python
            parameters:
              script: "print(f'{{{{x}}}}', '{{ a b }}')"
    """)

    assert load_playbook(source).steps[0]["parameters"]["script"].startswith("print")


def test_ai_api_key_is_an_ignorable_legacy_key():
    source = text("""
        name: AI
        version: "1"
        steps:
          - id: ai
            name: AI
            type: perspective.verify_with_ai
            parameters: {prompt: "Is the pump green?", ai_api_key: sk-123}
    """)

    assert warnings(source, lenient=True) == [
        "pb.yaml:7:48: step 'ai', key 'parameters.ai_api_key': perspective.verify_with_ai has no "
        "parameter 'ai_api_key' (ignored). AI keys are never playbook parameters: store the key "
        "as an 'AI API key' credential and name it in 'ai_credential' (or leave it out to use "
        "the configured one)"
    ]


@pytest.mark.parametrize(
    ("_case", "line", "message"),
    [
        ("params", "params: {}", "Unknown step key 'params'. Write 'parameters:'"),
        ("retries", "retries: 2", "Unknown step key 'retries'. Write 'retry_count: N' on the step"),
        (
            "misspelt option",
            "on_falure: continue",
            "Unknown step key 'on_falure'. Did you mean 'on_failure'?",
        ),
        (
            "unknown",
            "colour: red",
            "Unknown step key 'colour'. Allowed keys: id, name, type, "
            "parameters, on_failure, timeout, retry_count, retry_delay",
        ),
    ],
)
def test_unknown_step_keys_say_what_to_write(_case, line, message):
    source = (
        f'name: D\nversion: "1"\nsteps:\n  - id: a\n    name: A\n    type: utility.log\n'
        f"    {line}\n"
    )
    key = line.split(":")[0]

    assert errors(source) == [f"pb.yaml:7:5: step 'a', key '{key}': {message}"]
