"""What the run page's debug panel shows: the failed step's debug context and its YAML."""

import json

import yaml

from apps.executions import selectors
from apps.executions.artifact_files import PREVIEW_BYTES, artifact_text
from apps.executions.models import ArtifactKind, Execution, StepRun, StepStatus


def debug_panel(execution: Execution) -> dict | None:
    """What the last failed step saw in debug mode, while that step is still failed."""
    context_artifact = (
        execution.artifacts.filter(kind=ArtifactKind.DEBUG, step_run__status=StepStatus.FAILED)
        .select_related("step_run")
        .order_by("-created_at", "-pk")
        .first()
    )
    if context_artifact is None:
        return None
    try:
        context = json.loads(artifact_text(context_artifact, 10 * PREVIEW_BYTES) or "{}")
    except ValueError:
        context = {}
    siblings = execution.artifacts.filter(
        step_run=context_artifact.step_run, name__startswith="debug-"
    ).order_by("-created_at", "-pk")
    screenshot = siblings.filter(kind=ArtifactKind.SCREENSHOT).first()
    html = siblings.filter(kind=ArtifactKind.HTML).first()
    return {
        "step": context_artifact.step_run,
        "step_yaml": step_yaml(execution, context_artifact.step_run),
        "can_save": execution.playbook_id is not None,
        "context": context,
        "parameters": json.dumps(context.get("parameters", {}), indent=2, default=str),
        "variables": json.dumps(context.get("variables", {}), indent=2, default=str),
        "artifact": context_artifact,
        "screenshot": screenshot,
        "html": html,
        "html_text": artifact_text(html),
    }


def step_yaml(execution: Execution, step_run: StepRun) -> str:
    """The YAML of a top-level step as the run knows it (its last edit, else the pinned one)."""
    if step_run.parent_id is not None:
        return ""
    step = selectors.execution_step_edit(execution.pk, step_run.path)
    if step is None:
        steps = yaml.safe_load(execution.playbook_version.yaml_text).get("steps") or []
        step = next((item for item in steps if item.get("id") == step_run.step_id), None)
    return yaml.safe_dump(step, sort_keys=False, allow_unicode=True) if step else ""
