"""The schedules page: list, add, edit, delete and switch the schedules of the user's teams."""

import json

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.roles import Role
from apps.accounts.selectors import team_list_for_user, user_has_role
from apps.core.errors import ApplicationError
from apps.core.http import AuthenticatedHttpRequest
from apps.core.pages import domain_errors, go, refused
from apps.credentials.views import render
from apps.gateways.selectors import gateway_list_for_user
from apps.playbooks.selectors import playbook_list_for_user
from apps.schedules.forms import ScheduleForm
from apps.schedules.models import Schedule, ScheduleKind
from apps.schedules.selectors import schedule_get_for_user, schedule_row, schedule_rows_for_user
from apps.schedules.services import (
    ScheduleInvalidError,
    schedule_create,
    schedule_delete,
    schedule_set_enabled,
    schedule_update,
)

PAGE = "schedules/page.html"
FORM = "schedules/_form.html"


def _several_teams(request) -> bool:
    return team_list_for_user(request.user).count() > 1


def _form(request, *, data=None, initial=None, schedule=None) -> ScheduleForm:
    user = request.user
    return ScheduleForm(
        data,
        initial=initial,
        playbooks=playbook_list_for_user(user),
        gateways=gateway_list_for_user(user),
        several_teams=_several_teams(request),
        id_prefix=f"schedule-{schedule.pk}-" if schedule is not None else "",
    )


def _new_initial() -> dict:
    return {
        "kind": ScheduleKind.DAILY,
        "time_zone": settings.TIME_ZONE,
        "enabled": True,
        "skip_if_running": True,
    }


def _edit_initial(schedule: Schedule) -> dict:
    fields = ["name", "kind", "interval_minutes", "time_of_day", "days_of_week", "day_of_month"]
    fields += ["cron_expression", "time_zone", "enabled", "skip_if_running"]
    return {
        **{name: getattr(schedule, name) for name in fields},
        "playbook": schedule.playbook_id,
        "gateway": schedule.gateway_id,
        "gateway_tag": schedule.gateway_tag,
        "parameters": json.dumps(schedule.parameters, indent=2) if schedule.parameters else "",
    }


def _refused(form: ScheduleForm, exc: ApplicationError) -> None:
    """Each problem next to its field; other refusals on top (permission ones stay 403s)."""
    if isinstance(exc, ScheduleInvalidError):
        for field, problems in exc.errors.items():
            for problem in problems:
                form.add_error(field if field in form.fields else None, problem)
    else:
        refused(form, exc)


@require_GET
def schedule_list(request: AuthenticatedHttpRequest) -> TemplateResponse:
    context = {
        "rows": schedule_rows_for_user(request.user),
        "can_edit": user_has_role(request.user, Role.OPERATOR),
        "several_teams": _several_teams(request),
        "form": _form(request, initial=_new_initial()),
    }
    return TemplateResponse(request, "schedules/list.html", context)


@require_POST
@domain_errors("schedules:list")
def schedule_add(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = _form(request, data=request.POST)
    if form.is_valid():
        try:
            schedule = schedule_create(actor=request.user, **form.service_values())
        except ApplicationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, f"Added schedule {schedule.name}.")
            return go(request, reverse("schedules:list"))
    return render(request, FORM, {"form": form}, status=422, page=PAGE)


@require_http_methods(["GET", "POST"])
@domain_errors("schedules:list")
def schedule_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    schedule = schedule_get_for_user(request.user, pk)
    data = request.POST if request.method == "POST" else None
    form = _form(request, data=data, initial=_edit_initial(schedule), schedule=schedule)
    context = {"form": form, "schedule": schedule}
    if request.method == "GET":
        return render(request, FORM, context, page=PAGE)
    if form.is_valid():
        try:
            schedule_update(schedule, actor=request.user, **form.service_values())
        except ApplicationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, f"Saved schedule {schedule.name}.")
            return go(request, reverse("schedules:list"))
    return render(request, FORM, context, status=422, page=PAGE)


@require_http_methods(["GET", "POST"])
@domain_errors("schedules:list")
def schedule_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """GET: ask for confirmation. POST: delete the schedule and its beat entry."""
    schedule = schedule_get_for_user(request.user, pk)
    if request.method == "GET":
        return render(request, "schedules/_confirm_delete.html", {"schedule": schedule}, page=PAGE)
    schedule_delete(schedule, actor=request.user)
    messages.success(request, f"Deleted schedule {schedule.name}.")
    return go(request, reverse("schedules:list"))


@require_POST
@domain_errors("schedules:list")
def schedule_toggle(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Switch on when the form sends ``enabled``, off when it does not (an unticked box)."""
    schedule = schedule_get_for_user(request.user, pk)
    enabled = request.POST.get("enabled") in ("on", "true", "1")
    schedule = schedule_set_enabled(schedule, actor=request.user, enabled=enabled)
    if request.htmx:
        context = {
            "row": schedule_row(schedule),
            "can_edit": True,
            "several_teams": _several_teams(request),
        }
        return TemplateResponse(request, "schedules/_row.html", context)
    state = "Enabled" if schedule.enabled else "Disabled"
    messages.success(request, f"{state} schedule {schedule.name}.")
    return go(request, reverse("schedules:list"))
