"""The team's batches, the live page of a batch and its rows fragment (reloaded by the page as
runs end).

Controls are the API actions (``/api/v1/batches/<id>/cancel/`` and ``retry/``)."""

from django.core.paginator import Paginator
from django.http import Http404
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from apps.accounts.roles import Role
from apps.accounts.selectors import user_has_role
from apps.core.errors import NotFoundError
from apps.core.http import AuthenticatedHttpRequest
from apps.executions import batch_selectors as selectors
from apps.executions.models import Batch, BatchStatus, ExecutionStatus

PAGE_SIZE = 25


def _batch_or_404(request: AuthenticatedHttpRequest, batch_id) -> Batch:
    try:
        return selectors.batch_get_for_user(request.user, batch_id)
    except NotFoundError as exc:
        raise Http404(exc.message) from None


def _rows_context(batch: Batch) -> dict:
    rows = selectors.batch_rows(batch)
    return {"batch": batch, "rows": rows, "counts": selectors.batch_counts(rows)}


@require_GET
def batch_list(request: AuthenticatedHttpRequest) -> TemplateResponse:
    """The batches of the user's teams, newest first, with their gateways' statuses."""
    batches = selectors.batch_list_for_user(request.user).order_by("-created_at", "-pk")
    page = Paginator(batches, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = selectors.batch_list_counts(page.object_list)
    labels = dict(ExecutionStatus.choices)
    for batch in page:
        by_status = counts[batch.pk]
        batch.gateway_count = sum(by_status.values())
        batch.status_counts = [(s, labels[s], by_status[s]) for s in labels if s in by_status]
    return TemplateResponse(request, "executions/batch_list.html", {"page": page})


@require_GET
def batch_detail(request: AuthenticatedHttpRequest, batch_id) -> TemplateResponse:
    batch = _batch_or_404(request, batch_id)
    context = _rows_context(batch)
    context["can_control"] = user_has_role(request.user, Role.OPERATOR)
    context["config"] = {
        "socket": f"/ws/batches/{batch.pk}/",
        "rows": f"{batch.get_absolute_url()}rows/",
        "live": batch.status == BatchStatus.RUNNING,
    }
    return TemplateResponse(request, "executions/batch.html", context)


@require_GET
def batch_rows_fragment(request: AuthenticatedHttpRequest, batch_id) -> TemplateResponse:
    context = _rows_context(_batch_or_404(request, batch_id))
    return TemplateResponse(request, "executions/_batch_rows.html", context)
