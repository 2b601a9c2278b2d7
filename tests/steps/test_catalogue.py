"""The built-in catalogue declares every step type of the originals and the new gateway ones."""

import json

import pytest

from apps.steps.registry import all_step_types, builtin_step_types, get_step_type

ORIGINAL_TYPES = {
    "gateway": [
        "login",
        "logout",
        "ping",
        "get_info",
        "get_health",
        "list_modules",
        "upload_module",
        "wait_for_module_installation",
        "list_projects",
        "get_project",
        "restart",
        "wait_for_ready",
    ],
    "browser": [
        "navigate",
        "click",
        "fill",
        "screenshot",
        "wait",
        "verify",
        "file_upload",
        "verify_text",
        "verify_attribute",
        "verify_state",
        "get_text",
        "keyboard",
    ],
    "designer": [
        "launch",
        "launch_shortcut",
        "login",
        "open_project",
        "close",
        "screenshot",
        "wait",
    ],
    "playbook": ["run"],
    "utility": ["sleep", "log", "set_variable", "python"],
    "perspective": [
        "discover_page",
        "extract_component_metadata",
        "execute_test_manifest",
        "verify_navigation",
        "verify_dock_opened",
        "verify_with_ai",
        "analyze_with_ai",
    ],
    "fat": ["generate_report", "export_report"],
    "ai": [
        "generate",
        "validate",
        "analyze",
        "analyze_page_structure",
        "generate_test_cases",
        "verify_visual_consistency",
    ],
}
NEW_GATEWAY_TYPES = [
    "backup",
    "restore",
    "trial_status",
    "reset_trial",
    "export_project",
    "import_project",
    "export_tags",
    "import_tags",
    "api_request",
    "diagnostics_bundle",
    "uninstall_module",
]
EXPECTED = {
    f"{family}.{action}" for family, actions in ORIGINAL_TYPES.items() for action in actions
} | {f"gateway.{action}" for action in NEW_GATEWAY_TYPES}


def test_declares_exactly_the_expected_types():
    assert {t.id for t in builtin_step_types()} == EXPECTED
    assert len(EXPECTED) == 62


def test_every_type_is_json_safe_and_described():
    for step_type in all_step_types():
        data = json.loads(json.dumps(step_type.as_dict()))

        assert data["title"]
        assert data["description"]
        assert all(param["description"] for param in data["params"]), step_type.id


@pytest.mark.parametrize(
    ("step_type", "name", "unit", "default"),
    [
        ("browser.navigate", "timeout", "ms", 30000),
        ("browser.verify", "timeout", "ms", 5000),
        ("perspective.verify_dock_opened", "timeout", "ms", 3000),
        ("gateway.restart", "timeout", "s", 120),
        ("gateway.wait_for_module_installation", "timeout", "s", 300),
        ("designer.launch_shortcut", "timeout", "s", 60),
        ("utility.sleep", "seconds", "s", 1),
    ],
)
def test_units_and_defaults_follow_the_originals(step_type, name, unit, default):
    param = get_step_type(step_type).get_param(name)

    assert (param.unit, param.default) == (unit, default)


def test_parameters_the_originals_ignored_are_now_honoured():
    assert get_step_type("browser.navigate").get_param("timeout") is not None
    assert get_step_type("browser.verify").get_param("state").enum == (
        "visible",
        "hidden",
        "attached",
        "detached",
    )
    assert get_step_type("browser.screenshot").get_param("path").relative_path is True


def test_removed_ai_steps_are_declared_unavailable():
    unavailable = [t.id for t in builtin_step_types() if t.unavailable]

    assert unavailable == sorted(f"ai.{action}" for action in ORIGINAL_TYPES["ai"])


def test_secrets_are_flagged():
    assert get_step_type("gateway.login").get_param("password").secret is True
    assert get_step_type("utility.python").get_param("script").templated is False
