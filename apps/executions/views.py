"""Pages of runs: the history, the live run page with its debug panel, and downloads.
The run page's rows, which the page also asks for one by one, are in ``run_views``.

Controls are not here: the pages call the API actions (``/api/v1/executions/<id>/<action>/``)
with the CSRF token, so each control has one entry point (see docs/events.md).
"""

from datetime import datetime

from django.conf import settings
from django.contrib import messages
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.roles import Role
from apps.accounts.selectors import user_has_role
from apps.core.errors import ApplicationError
from apps.core.http import AuthenticatedHttpRequest
from apps.core.pagination import CountedPaginator
from apps.executions import selectors
from apps.executions.artifact_files import artifact_open
from apps.executions.artifact_store import ArtifactStoreError
from apps.executions.debug_panel import debug_panel
from apps.executions.export import execution_export_data
from apps.executions.forms import ExecutionFilterForm, ExecutionSelectionForm
from apps.executions.launch_rate import launch_rate_check
from apps.executions.models import (
    LIVE_STATUSES,
    Execution,
    ExecutionStatus,
)
from apps.executions.run_views import LOG_PAGE_SIZE, execution_or_404, log_lines, step_rows
from apps.executions.services.debug_edit import execution_edit_step
from apps.executions.services.history import execution_delete, execution_rerun
from apps.steps.plugins.utility.python import python_unsandboxed_warning

PAGE_SIZE = 25
INLINE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp", "text/plain"}


def duration_text(start: datetime | None, end: datetime | None) -> str:
    """``"1 h 02 m"``, ``"3 m 05 s"`` or ``"4.2 s"``; empty before the run starts."""
    if start is None:
        return ""
    seconds = max(0.0, ((end or timezone.now()) - start).total_seconds())
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, secs = divmod(int(seconds), 60)
    if minutes < 60:
        return f"{minutes} m {secs:02d} s"
    return f"{minutes // 60} h {minutes % 60:02d} m"


# The history -------------------------------------------------------------------------------
@require_GET
def execution_list(request: AuthenticatedHttpRequest) -> TemplateResponse:
    form = ExecutionFilterForm(request.user, request.GET)
    filters = form.selector_filters()
    without_status = {**filters, "status": None}
    counts = selectors.execution_status_counts(request.user, filters=without_status)
    limit = settings.HISTORY_COUNT_LIMIT
    all_runs = min(sum(counts.values()), limit + 1)  # past the limit it reads "10,000+"
    shown = counts.get(filters["status"], 0) if filters["status"] else all_runs
    total = min(shown, limit)  # pages end at the counted runs
    executions = selectors.execution_list_for_user(request.user, filters=filters).order_by(
        "-queued_at", "-pk"
    )
    page = CountedPaginator(executions, PAGE_SIZE, count=total).get_page(request.GET.get("page"))
    progress = selectors.execution_step_progress(page.object_list)
    for execution in page:
        execution.duration_text = duration_text(execution.started_at, execution.finished_at)
        execution.steps_done, execution.steps_total = progress.get(execution.pk, (0, 0))
    query = request.GET.copy()
    query.pop("page", None)
    base_query = query.copy()
    base_query.pop("status", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "base_query": base_query.urlencode(),
        "status_counts": [
            (value, label, selectors.count_text(counts[value]))
            for value, label in ExecutionStatus.choices
        ],
        "total_count": selectors.count_text(all_runs),
        "can_control": user_has_role(request.user, Role.OPERATOR),
        "live_statuses": [str(status) for status in LIVE_STATUSES],
    }
    fragment = request.htmx and request.htmx.target == "executions-table"
    template = "executions/_table.html" if fragment else "executions/list.html"
    return TemplateResponse(request, template, context)


@require_POST
def execution_bulk_delete(request: AuthenticatedHttpRequest) -> HttpResponseRedirect:
    form = ExecutionSelectionForm(request.user, request.POST)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = reverse("executions:list")
    if not form.is_valid():
        messages.error(request, "Select runs you can see to delete them.")
        return redirect(target)
    try:
        deleted = execution_delete(form.cleaned_data["ids"], actor=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect(target)
    messages.success(request, f"Deleted {deleted} run{'s' if deleted != 1 else ''}.")
    return redirect(target)


@require_POST
def execution_rerun_view(request: AuthenticatedHttpRequest, execution_id) -> HttpResponseRedirect:
    execution = execution_or_404(request, execution_id)
    try:
        launch_rate_check(request)
        new = execution_rerun(execution, actor=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect(execution)
    messages.success(request, f"Started '{new.playbook_name}' again with the same parameters.")
    return redirect(new)


@require_GET
def execution_export(request: AuthenticatedHttpRequest, execution_id) -> JsonResponse:
    """The whole run as JSON: the API detail, its artifacts and every stored event."""
    execution = execution_or_404(request, execution_id)
    data = execution_export_data(
        execution,
        artifact_url=lambda artifact: reverse(
            "executions:artifact", args=[execution.pk, artifact.pk]
        ),
    )
    response = JsonResponse(data, json_dumps_params={"indent": 2})
    response["Content-Disposition"] = f'attachment; filename="execution-{execution.pk}.json"'
    return response


# The run page ------------------------------------------------------------------------------
@require_GET
def execution_detail(request: AuthenticatedHttpRequest, execution_id) -> TemplateResponse:
    execution = execution_or_404(request, execution_id)
    steps = step_rows(selectors.execution_steps(execution).prefetch_related("artifacts"))
    top = [step for step in steps if step.parent_id is None]
    done = sum(step.status in selectors.DONE_STEPS for step in top)
    progress = {"done": done, "total": len(top), "percent": round(100 * done / (len(top) or 1))}
    can_control = user_has_role(request.user, Role.OPERATOR)
    context = {
        "execution": execution,
        "steps": steps,
        "progress": progress,
        "log": log_lines(execution, through=execution.last_seq),
        "artifacts": selectors.execution_artifacts(execution),
        "debug_panel": debug_panel(execution),
        "duration": duration_text(execution.started_at, execution.finished_at),
        "unsandboxed_warning": python_unsandboxed_warning(step.type for step in steps),
        "can_control": can_control,
        "can_edit": user_has_role(request.user, Role.EDITOR),
        "config": {
            "status": execution.status,
            "lastSeq": execution.last_seq,
            "canControl": can_control,
            "live": execution.status in LIVE_STATUSES,
            "startedAt": execution.started_at.isoformat() if execution.started_at else None,
            "socket": f"/ws/executions/{execution.pk}/",
            "api": f"/api/v1/executions/{execution.pk}/",
            "debugPanel": reverse("executions:debug-panel", args=[execution.pk]),
            "steps": reverse("executions:detail", args=[execution.pk]) + "steps/",
            "log": reverse("executions:log-lines", args=[execution.pk]),
            "logPage": LOG_PAGE_SIZE,
            "artifacts": reverse("executions:artifacts", args=[execution.pk]),
        },
    }
    return TemplateResponse(request, "executions/detail.html", context)


@require_GET
def execution_debug_panel(request: AuthenticatedHttpRequest, execution_id) -> TemplateResponse:
    """The debug panel fragment (loaded by the page when a debug context arrives)."""
    return _debug_panel_response(request, execution_or_404(request, execution_id))


@require_POST
def execution_edit_step_view(request: AuthenticatedHttpRequest, execution_id):
    """Debug panel: run the failed step again as edited (and keep the edit when asked)."""
    execution = execution_or_404(request, execution_id)
    step_yaml = request.POST.get("step_yaml", "")
    try:
        execution_edit_step(
            execution,
            actor=request.user,
            step_id=request.POST.get("step_id", ""),
            step_yaml=step_yaml,
            save=request.POST.get("save") == "1",
        )
    except ApplicationError as exc:
        if not request.htmx:
            messages.error(request, exc.message)
            return redirect("executions:detail", execution.pk)
        return _debug_panel_response(
            request, execution, step_yaml=step_yaml, edit_error=exc.message
        )
    if not request.htmx:
        return redirect("executions:detail", execution.pk)
    return _debug_panel_response(request, execution)


@require_GET
def artifact_download(
    request: AuthenticatedHttpRequest, execution_id, artifact_id: int
) -> HttpResponse:
    """One file of a run. Images and text open in the browser; everything else downloads."""
    execution = execution_or_404(request, execution_id)
    artifact = get_object_or_404(execution.artifacts, pk=artifact_id)
    try:
        stream = artifact_open(artifact)
    except ArtifactStoreError as exc:
        return HttpResponse(exc.message, status=exc.status, content_type="text/plain")
    if stream is None:
        raise Http404("The file of this artifact is missing.")
    inline = artifact.content_type in INLINE_TYPES and "download" not in request.GET
    response = FileResponse(
        stream,
        as_attachment=not inline,
        filename=artifact.name,
        content_type=artifact.content_type or "application/octet-stream",
    )
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'"
    return response


def _debug_panel_response(request, execution: Execution, **shown) -> TemplateResponse:
    panel = debug_panel(execution)
    if panel is not None:
        panel.update(shown)
    context = {
        "execution": execution,
        "debug_panel": panel,
        "can_control": user_has_role(request.user, Role.OPERATOR),
        "can_edit": user_has_role(request.user, Role.EDITOR),
    }
    return TemplateResponse(request, "executions/_debug_panel.html", context)
