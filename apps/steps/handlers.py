"""Which function runs each step type: an explicit map, imported lazily.

A handler is ``run(context, params) -> dict`` (outputs). It raises ``StepError`` for a failure
the user can act on. ``playbook.run`` is not here: composition is the engine's own work.
"""

import importlib
from collections.abc import Callable
from typing import Any

HANDLERS: dict[str, str] = {
    "utility.sleep": "apps.steps.plugins.utility.sleep.run",
    "utility.log": "apps.steps.plugins.utility.log.run",
    "utility.set_variable": "apps.steps.plugins.utility.set_variable.run",
    "utility.python": "apps.steps.plugins.utility.python.run",
    "gateway.login": "apps.steps.plugins.gateway.session.run",
    "gateway.logout": "apps.steps.plugins.gateway.session.run_logout",
    "gateway.ping": "apps.steps.plugins.gateway.status.run",
    "gateway.get_info": "apps.steps.plugins.gateway.status.run_get_info",
    "gateway.get_health": "apps.steps.plugins.gateway.status.run_get_health",
    "gateway.wait_for_ready": "apps.steps.plugins.gateway.status.run_wait_for_ready",
    "gateway.restart": "apps.steps.plugins.gateway.status.run_restart",
    "gateway.list_modules": "apps.steps.plugins.gateway.modules.run",
    "gateway.upload_module": "apps.steps.plugins.gateway.modules.run_upload",
    "gateway.wait_for_module_installation": "apps.steps.plugins.gateway.modules.run_wait",
    "gateway.uninstall_module": "apps.steps.plugins.gateway.modules.run_uninstall",
    "gateway.list_projects": "apps.steps.plugins.gateway.projects.run",
    "gateway.get_project": "apps.steps.plugins.gateway.projects.run_get",
    "gateway.export_project": "apps.steps.plugins.gateway.projects.run_export",
    "gateway.import_project": "apps.steps.plugins.gateway.projects.run_import",
    "gateway.backup": "apps.steps.plugins.gateway.backup.run",
    "gateway.restore": "apps.steps.plugins.gateway.backup.run_restore",
    "gateway.trial_status": "apps.steps.plugins.gateway.trial.run",
    "gateway.reset_trial": "apps.steps.plugins.gateway.trial.run_reset",
    "gateway.export_tags": "apps.steps.plugins.gateway.tags.run",
    "gateway.import_tags": "apps.steps.plugins.gateway.tags.run_import",
    "gateway.api_request": "apps.steps.plugins.gateway.api.run",
    "gateway.diagnostics_bundle": "apps.steps.plugins.gateway.backup.run_diagnostics",
    "browser.navigate": "apps.steps.plugins.browser.navigate.run",
    "browser.click": "apps.steps.plugins.browser.click.run",
    "browser.fill": "apps.steps.plugins.browser.fill.run",
    "browser.screenshot": "apps.steps.plugins.browser.screenshot.run",
    "browser.wait": "apps.steps.plugins.browser.wait.run",
    "browser.verify": "apps.steps.plugins.browser.verify.run",
    "browser.file_upload": "apps.steps.plugins.browser.file_upload.run",
    "browser.verify_text": "apps.steps.plugins.browser.verify_text.run",
    "browser.verify_attribute": "apps.steps.plugins.browser.verify_text.run_attribute",
    "browser.verify_state": "apps.steps.plugins.browser.verify.run_state",
    "browser.get_text": "apps.steps.plugins.browser.get_text.run",
    "browser.keyboard": "apps.steps.plugins.browser.keyboard.run",
    "perspective.verify_with_ai": "apps.steps.plugins.ai.steps.run_verify",
    "perspective.analyze_with_ai": "apps.steps.plugins.ai.steps.run_analyze",
    "designer.launch": "apps.steps.plugins.designer.steps.run_launch",
    "designer.launch_shortcut": "apps.steps.plugins.designer.steps.run_launch_shortcut",
    "designer.login": "apps.steps.plugins.designer.steps.run_login",
    "designer.open_project": "apps.steps.plugins.designer.steps.run_open_project",
    "designer.close": "apps.steps.plugins.designer.steps.run_close",
    "designer.screenshot": "apps.steps.plugins.designer.steps.run_screenshot",
    "designer.wait": "apps.steps.plugins.designer.steps.run_wait",
    "perspective.discover_page": "apps.steps.plugins.perspective.discover.run",
    "perspective.extract_component_metadata": "apps.steps.plugins.perspective.discover.run_rate",
    "perspective.execute_test_manifest": "apps.steps.plugins.perspective.manifest.run",
    "perspective.verify_navigation": "apps.steps.plugins.perspective.verify.run",
    "perspective.verify_dock_opened": "apps.steps.plugins.perspective.verify.run_dock",
    "fat.generate_report": "apps.steps.plugins.fat.generate.run",
    "fat.export_report": "apps.steps.plugins.fat.export.run",
}


class StepError(Exception):
    """A step failed for a reason worth showing as is; ``retryable`` marks transient causes."""

    def __init__(self, message: str, *, retryable: bool = True) -> None:
        super().__init__(message)
        self.retryable = retryable


class NoHandlerError(Exception):
    pass


def get_handler(step_type: str) -> Callable[[Any, dict], dict]:
    """The run function of ``step_type``; ``NoHandlerError`` when this worker has none."""
    dotted = HANDLERS.get(step_type)
    if dotted is None:
        raise NoHandlerError(
            f"No handler for step type '{step_type}' on this worker: the step type is declared "
            "but cannot run here yet."
        )
    module_name, _, function_name = dotted.rpartition(".")
    return getattr(importlib.import_module(module_name), function_name)
