"""Every example of the features spec §2 loads, with the documented defaults filled in."""

from apps.playbooks.loader import load_playbook
from tests.playbooks.loader.helpers import text

FULL = text("""
    name: Module Install
    version: "4.1-ui"
    description: Install a module through the web UI.
    domain: gateway
    group: "Gateway (Base Playbooks)"
    verified: true
    metadata:
      author: Ops
      category: modules
      tags: [module, install]
      notes: |
        Long **markdown**.
      created: 2025-10-30
    parameters:
      - name: gateway_url
        type: string
        default: http://localhost:8088
      - name: gateway_credential
        type: credential
        default: lab-admin
      - name: module_file
        type: file
        description: The .modl file
      - name: retries
        type: integer
        required: false
        default: 3
      - name: ratio
        type: float
        default: 1
      - name: prefer_unsigned
        type: boolean
        default: false
      - name: names
        type: list
        default: [a, b]
      - name: expected_behaviors
        type: dict
        required: false
    steps:
      - id: login
        name: "Step 1: log in"
        type: playbook.run
        parameters:
          playbook: gateway/gateway_login.yaml
          gateway_url: "{{ gateway_url }}"
          username: "{{ parameter.gateway_credential.username }}"
          password: "{{ credential.lab-admin.password }}"
      - id: home
        name: "Step 2: open modules"
        type: browser.navigate
        parameters:
          url: "{{ parameter.gateway_url }}/app/platform/system/modules"
          wait_until: networkidle
          timeout: 15000
      - id: mark
        name: "Step 3: remember"
        type: utility.set_variable
        parameters:
          name: module_name
          value: "{{ step.login.steps }}"
      - id: upload
        name: "Step 4: upload"
        type: browser.file_upload
        on_failure: continue
        timeout: 60
        retry_count: 2
        retry_delay: 1.5
        parameters:
          selector: "input[type=file]"
          file_path: "{{ module_file }}"
      - id: accept
        name: "Step 5: accept licence"
        type: browser.click
        on_failure: continue
        parameters:
          selector: "button:has-text('I accept'), text=Accept"
          force: true
      - id: log
        name: "Step 6: report"
        type: utility.log
        parameters:
          message: >-
            Installed {{ variable.module_name }} on {{ credential.lab-admin.gateway_url }}
            ({{ step.login }}, {{ credential.lab-admin.description }},
            {{ credential.lab-admin.username }})
          level: info
""")


def test_full_example_loads():
    playbook = load_playbook(
        FULL,
        source="module_install.yaml",
        credential_names={"lab-admin"},
        child_exists=lambda p: True,
    )

    assert (playbook.name, playbook.version, playbook.domain, playbook.group) == (
        "Module Install",
        "4.1-ui",
        "gateway",
        "Gateway (Base Playbooks)",
    )
    assert playbook.description == "Install a module through the web UI."
    assert playbook.metadata["created"] == "2025-10-30"
    assert playbook.metadata["tags"] == ["module", "install"]
    assert playbook.warnings == []
    assert playbook.data["verified"] is True
    assert [p["name"] for p in playbook.parameters][:3] == [
        "gateway_url",
        "gateway_credential",
        "module_file",
    ]
    assert playbook.parameters[2] == {
        "name": "module_file",
        "type": "file",
        "required": True,
        "default": None,
        "description": "The .modl file",
    }
    assert playbook.parameters[3]["required"] is False


def test_step_options_are_filled_in():
    playbook = load_playbook(FULL, child_exists=lambda p: True)

    assert playbook.steps[1] == {
        "id": "home",
        "name": "Step 2: open modules",
        "type": "browser.navigate",
        "parameters": {
            "url": "{{ parameter.gateway_url }}/app/platform/system/modules",
            "wait_until": "networkidle",
            "timeout": 15000,
        },
        "on_failure": "abort",
        "timeout": 300,
        "retry_count": 0,
        "retry_delay": 5,
    }
    upload = playbook.steps[3]
    assert (
        upload["on_failure"],
        upload["timeout"],
        upload["retry_count"],
        upload["retry_delay"],
    ) == ("continue", 60, 2, 1.5)


def test_domain_may_live_in_metadata():
    source = text("""
        name: Discovery
        version: "1"
        metadata: {domain: perspective}
        steps:
          - {id: d, name: Discover, type: perspective.discover_page}
    """)

    playbook = load_playbook(source)

    assert (playbook.domain, playbook.group, playbook.description) == ("perspective", None, "")
    assert playbook.parameters == []


def test_shipped_style_playbooks_load():
    source = text("""
        name: API key setup
        version: "2.0"
        domain: gateway
        parameters:
          - {name: gateway_url, type: string, default: "http://localhost:8088"}
          - {name: api_key_name, type: string, default: toolbox-api-key}
        steps:
          - {id: open, name: Open, type: browser.navigate,
             parameters: {url: "{{ gateway_url }}/app/platform/security/api-keys"}}
          - {id: name, name: Name, type: browser.fill,
             parameters: {selector: "#name", value: "{{ api_key_name }}"}}
          - {id: enter, name: Submit, type: browser.keyboard, parameters: {key: Enter}}
          - {id: key, name: Read key, type: browser.get_text,
             parameters: {selector: ".api-key", timeout: 10000}}
          - {id: check, name: Check, type: browser.verify,
             parameters: {selector: ".api-key", state: visible}}
          - {id: shot, name: Shot, type: browser.screenshot,
             parameters: {path: "api-keys/created.png", full_page: true}}
          - {id: store, name: Store, type: utility.python,
             parameters: {script: "print('LEN=' + str(len(inputs['key'])))",
                          inputs: {key: "{{ step.key.text }}"}}}
          - {id: discover, name: Discover, type: perspective.discover_page,
             parameters: {types: [button], exclude_selectors: [".nav"]}}
          - {id: manifest, name: Test, type: perspective.execute_test_manifest,
             parameters: {manifest: "{{ step.store.manifest }}", baseline_url: "{{ gateway_url }}"}}
          - {id: report, name: Report, type: fat.generate_report,
             parameters: {test_results: "{{ step.manifest }}", metadata: {tester: QA}}}
          - {id: pdf, name: PDF, type: fat.export_report,
             parameters: {report_id: "{{ step.report.report_id }}", output_path: fat.pdf}}
          - {id: backup, name: Backup, type: gateway.backup, parameters: {type: all}}
          - {id: sleep, name: Sleep, type: utility.sleep, parameters: {seconds: 0.5}}
    """)

    playbook = load_playbook(source)

    assert len(playbook.steps) == 13
    assert playbook.steps[6]["parameters"]["inputs"] == {"key": "{{ step.key.text }}"}
