"""The notifications pages: a team's rules and destinations, each destination's delivery log
and its Send test button. Editors of the team (and admins) only."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.roles import Role
from apps.accounts.selectors import team_list_for_user, user_has_role
from apps.core.errors import ApplicationError
from apps.core.http import AuthenticatedHttpRequest
from apps.core.pages import domain_errors, go, refused
from apps.credentials.access import team_for_write
from apps.gateways.selectors import gateway_list_for_user
from apps.notifications.delivery import destination_send_test
from apps.notifications.forms import DestinationForm, RuleForm
from apps.notifications.models import Destination, Outcome, Rule
from apps.notifications.selectors import (
    delivery_log,
    destination_get_for_user,
    destination_list_for_user,
    rule_get_for_user,
    rule_list_for_user,
)
from apps.notifications.services import (
    NotificationInvalidError,
    destination_create,
    destination_delete,
    destination_update,
    rule_create,
    rule_delete,
    rule_update,
)
from apps.playbooks.selectors import playbook_list_for_user
from apps.schedules.selectors import schedule_list_for_user

LIST = "notifications:list"


def _require_editor(request) -> None:
    if not user_has_role(request.user, Role.EDITOR):
        raise PermissionDenied("Editors of a team (and admins) manage its notifications.")


def _several_teams(request) -> bool:
    return team_list_for_user(request.user).count() > 1


def _team(request, form):
    return team_for_write(request.user, getattr(form.cleaned_data.get("team"), "pk", None))


def _refused(form, exc: ApplicationError) -> None:
    """Each problem next to its field; other refusals on top (permission ones stay 403s)."""
    if isinstance(exc, NotificationInvalidError):
        for field, problems in exc.errors.items():
            for problem in problems:
                form.add_error(field if field in form.fields else None, problem)
    else:
        refused(form, exc)


def _destination_form(request, **kwargs) -> DestinationForm:
    teams = team_list_for_user(request.user)
    return DestinationForm(teams=teams, several_teams=_several_teams(request), **kwargs)


def _rule_form(request, **kwargs) -> RuleForm:
    user = request.user
    return RuleForm(
        teams=team_list_for_user(user),
        playbooks=playbook_list_for_user(user),
        schedules=schedule_list_for_user(user),
        gateways=gateway_list_for_user(user),
        destinations=destination_list_for_user(user),
        several_teams=_several_teams(request),
        **kwargs,
    )


@require_GET
def notification_list(request: AuthenticatedHttpRequest) -> TemplateResponse:
    """Everyone may open it; only editors see (and manage) their teams' rules and destinations."""
    context = {
        "can_edit": user_has_role(request.user, Role.EDITOR),
        "rules": rule_list_for_user(request.user),
        "destinations": destination_list_for_user(request.user),
        "several_teams": _several_teams(request),
    }
    return TemplateResponse(request, "notifications/list.html", context)


@require_http_methods(["GET", "POST"])
@domain_errors(LIST)
def destination_add(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_editor(request)
    form = _destination_form(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            values = {k: v for k, v in form.cleaned_data.items() if k != "team"}
            destination = destination_create(
                team=_team(request, form), actor=request.user, **values
            )
        except ApplicationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, f"Added destination {destination.name}.")
            return go(request, reverse("notifications:destination", args=[destination.pk]))
    status = 422 if request.method == "POST" else 200
    return TemplateResponse(
        request, "notifications/destination.html", {"form": form}, status=status
    )


@require_http_methods(["GET", "POST"])
@domain_errors(LIST)
def destination_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The destination's settings (editable), its delivery log and its Send test button."""
    destination = destination_get_for_user(request.user, pk)
    initial = {
        "name": destination.name,
        "channel": destination.channel,
        "recipients": ", ".join(destination.recipients),
        "url": destination.url,
        "preset": destination.preset,
    }
    data = request.POST if request.method == "POST" else None
    form = _destination_form(request, data=data, initial=initial)
    form.fields.pop("team", None)
    if data is not None and form.is_valid():
        try:
            destination_update(destination, actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, f"Saved destination {destination.name}.")
            return go(request, reverse("notifications:destination", args=[destination.pk]))
    context = {"form": form, "destination": destination, "deliveries": delivery_log(destination)}
    status = 422 if data is not None else 200
    return TemplateResponse(request, "notifications/destination.html", context, status=status)


@require_POST
@domain_errors(LIST)
def destination_test(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    destination = destination_get_for_user(request.user, pk)
    delivery = destination_send_test(destination, actor=request.user)
    if delivery.outcome == Outcome.DELIVERED:
        messages.success(request, f"Test message delivered to {destination.name}.")
    else:
        messages.error(request, f"Test message not delivered: {delivery.error}")
    return go(request, reverse("notifications:destination", args=[destination.pk]))


@require_http_methods(["GET", "POST"])
@domain_errors(LIST)
def destination_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    destination = destination_get_for_user(request.user, pk)
    return _remove(request, destination, destination_delete, "destination")


@require_http_methods(["GET", "POST"])
@domain_errors(LIST)
def rule_add(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_editor(request)
    form = _rule_form(request, data=request.POST or None, initial={"enabled": True})
    if request.method == "POST" and form.is_valid():
        try:
            values = {k: v for k, v in form.cleaned_data.items() if k != "team"}
            values["destinations"] = list(values["destinations"])
            rule = rule_create(team=_team(request, form), actor=request.user, **values)
        except ApplicationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, f"Added rule {rule.name}.")
            return go(request, reverse(LIST))
    status = 422 if request.method == "POST" else 200
    return TemplateResponse(request, "notifications/rule.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
@domain_errors(LIST)
def rule_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The rule's settings (editable) and the deliveries it caused."""
    rule = rule_get_for_user(request.user, pk)
    fields = ["name", "trigger", "scope", "playbook", "schedule", "gateway", "gateway_tag"]
    initial = {name: getattr(rule, name) for name in [*fields, "enabled"]}
    initial["destinations"] = list(rule.destinations.all())
    data = request.POST if request.method == "POST" else None
    form = _rule_form(request, data=data, initial=initial)
    form.fields.pop("team", None)
    if data is not None and form.is_valid():
        values = dict(form.cleaned_data)
        values["destinations"] = list(values["destinations"])
        try:
            rule_update(rule, actor=request.user, **values)
        except ApplicationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, f"Saved rule {rule.name}.")
            return go(request, reverse(LIST))
    deliveries = rule.deliveries.select_related("destination", "execution")[:50]
    context = {"form": form, "rule": rule, "deliveries": deliveries}
    status = 422 if data is not None else 200
    return TemplateResponse(request, "notifications/rule.html", context, status=status)


@require_http_methods(["GET", "POST"])
@domain_errors(LIST)
def rule_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _remove(request, rule_get_for_user(request.user, pk), rule_delete, "rule")


def _remove(request, target: Destination | Rule, delete, what: str) -> HttpResponse:
    """GET: ask for confirmation. POST: delete."""
    if request.method == "GET":
        context = {"target": target, "what": what}
        return TemplateResponse(request, "notifications/confirm_delete.html", context)
    delete(target, actor=request.user)
    messages.success(request, f"Deleted {what} {target.name}.")
    return go(request, reverse(LIST))
