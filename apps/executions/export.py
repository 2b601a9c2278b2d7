"""The whole run as one JSON document: the API detail, its artifacts and every stored event.

The run page's "Download JSON" and the API's ``report.json`` give the same document; only the
artifact links differ (the page's download route, or the API's, which takes a token).
"""

from collections.abc import Callable
from typing import Any

from apps.executions import selectors
from apps.executions.api import ExecutionDetailSerializer
from apps.executions.events import event_message
from apps.executions.models import Artifact, Execution


def execution_export_data(
    execution: Execution, *, artifact_url: Callable[[Artifact], str]
) -> dict[str, Any]:
    """Every stored fact of the run (secrets were masked before they were stored)."""
    execution.ordered_steps = selectors.execution_steps(execution).select_related("parent")
    execution.queue_position = selectors.execution_queue_position(execution)
    data = dict(ExecutionDetailSerializer(execution).data)
    data["artifacts"] = [
        {
            "id": artifact.pk,
            "kind": artifact.kind,
            "name": artifact.name,
            "size": artifact.size,
            "step": artifact.step_run.path if artifact.step_run else None,
            "url": artifact_url(artifact),
        }
        for artifact in execution.artifacts.select_related("step_run")
    ]
    events = selectors.execution_events_since(execution, 0)
    data["events"] = [event_message(event) for event in events]
    return data
