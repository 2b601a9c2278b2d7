"""The run page's rows: one step, the log lines after a ``seq``, the artifacts.

The run page renders them with these templates, and its script asks for them again when the
run's events say they changed (docs/events.md), so each row is rendered in one place. They
show stored data only: what the engine stored, already masked.
"""

import json
import re
from collections.abc import Iterable
from typing import Any
from uuid import UUID

from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from apps.core.errors import NotFoundError
from apps.core.http import AuthenticatedHttpRequest
from apps.executions import selectors
from apps.executions.events import EventType
from apps.executions.models import Execution, ExecutionEvent, StepRun

LOG_EVENTS = (EventType.LOG, EventType.CONTROL)
LOG_PAGE_SIZE = 500
WHOLE_NUMBER = re.compile(r"[0-9]+")


def execution_or_404(request: AuthenticatedHttpRequest, execution_id: UUID) -> Execution:
    try:
        return selectors.execution_get_for_user(request.user, execution_id)
    except NotFoundError as exc:
        raise Http404(exc.message) from None


def log_text(event_type: str, payload: dict[str, Any]) -> str:
    """A log line's message; control events read "oscar requested skip back"."""
    if event_type != EventType.CONTROL:
        return str(payload.get("message", ""))
    text = f"{payload.get('by')} requested {str(payload.get('command', '')).replace('_', ' ')}"
    if "enabled" in payload:
        text += f" ({'on' if payload['enabled'] else 'off'})"
    if "x" in payload:
        text += f" at {payload['x']}, {payload.get('y')}"
    return text


def log_lines(
    execution: Execution, *, after: int = 0, through: int | None = None, limit: int | None = None
) -> list[ExecutionEvent]:
    """The log and control events after ``after`` (up to ``through``), as log lines."""
    events = selectors.execution_events_since(execution, after).filter(type__in=LOG_EVENTS)
    if through is not None:
        events = events.filter(seq__lte=through)
    lines = list(events[:limit])
    for line in lines:
        line.text = log_text(line.type, line.payload)
    return lines


def step_rows(steps: Iterable[StepRun]) -> list[StepRun]:
    """The steps as their rows show them, in path order (a child playbook's steps, planned
    when their parent step starts, right under it): nesting depth, outputs as indented JSON."""
    rows = sorted(steps, key=lambda step: [int(part) for part in step.path.split(".")])
    for step in rows:
        step.depth = step.path.count(".")
        step.outputs_json = json.dumps(step.outputs, indent=2, default=str) if step.outputs else ""
    return rows


@require_GET
def execution_step_row(
    request: AuthenticatedHttpRequest, execution_id: UUID, path: str
) -> TemplateResponse:
    """One step's row, with its attempts, outputs, error and artifact links."""
    execution = execution_or_404(request, execution_id)
    steps = selectors.execution_steps(execution).prefetch_related("artifacts")
    step = get_object_or_404(steps, path=path)
    return TemplateResponse(request, "executions/_step.html", {"step": step_rows([step])[0]})


@require_GET
def execution_log_lines(
    request: AuthenticatedHttpRequest, execution_id: UUID
) -> TemplateResponse | HttpResponseBadRequest:
    """The log lines after ``?after=<seq>``, at most ``LOG_PAGE_SIZE``: a full page means
    there may be more, asked for after its last line."""
    execution = execution_or_404(request, execution_id)
    after = request.GET.get("after", "")
    if not WHOLE_NUMBER.fullmatch(after):
        return HttpResponseBadRequest(
            "Give ?after= the seq of the last log line shown (a whole number, 0 for all).",
            content_type="text/plain",
        )
    lines = log_lines(execution, after=int(after), limit=LOG_PAGE_SIZE)
    return TemplateResponse(request, "executions/_log_lines.html", {"log": lines})


@require_GET
def execution_artifacts_view(
    request: AuthenticatedHttpRequest, execution_id: UUID
) -> TemplateResponse:
    """The run's files: the screenshots' gallery and the list (with each file's step)."""
    execution = execution_or_404(request, execution_id)
    context = {"execution": execution, "artifacts": selectors.execution_artifacts(execution)}
    return TemplateResponse(request, "executions/_artifacts.html", context)
