"""The gateways page: list, add, edit, delete and ping the targets of the user's teams."""

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
from apps.credentials.selectors import credential_list_for_user
from apps.credentials.views import render
from apps.gateways.forms import GatewayForm
from apps.gateways.selectors import gateway_get_for_user, gateway_list_for_user
from apps.gateways.services import gateway_create, gateway_delete, gateway_ping, gateway_update

PAGE = "gateways/page.html"


def _form(request, *, data=None, gateway=None, **kwargs) -> GatewayForm:
    """The gateway form; a new gateway also picks its team, an existing one keeps it."""
    credentials = credential_list_for_user(request.user)
    if gateway is not None:
        credentials = credentials.filter(team=gateway.team)
        # The edit dialog shares the page with the add form: ids of its own keep labels apart.
        return GatewayForm(data, credentials=credentials, auto_id="edit_%s", **kwargs)
    return GatewayForm(data, teams=team_list_for_user(request.user), credentials=credentials)


@require_GET
def gateway_list(request: AuthenticatedHttpRequest) -> TemplateResponse:
    context = {
        "gateways": gateway_list_for_user(request.user),
        "can_edit": user_has_role(request.user, Role.EDITOR),
        "several_teams": team_list_for_user(request.user).count() > 1,
        "form": _form(request),
    }
    return TemplateResponse(request, "gateways/list.html", context)


@require_POST
@domain_errors("gateways:list")
def gateway_add(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = _form(request, data=request.POST)
    if form.is_valid():
        try:
            gateway = gateway_create(
                team=form.cleaned_data["team"], actor=request.user, **form.service_values()
            )
        except ApplicationError as exc:
            refused(form, exc)
        else:
            messages.success(request, f"Added gateway {gateway.name}.")
            return go(request, reverse("gateways:list"))
    return render(request, "gateways/_form.html", {"form": form}, status=422, page=PAGE)


@require_http_methods(["GET", "POST"])
@domain_errors("gateways:list")
def gateway_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    gateway = gateway_get_for_user(request.user, pk)
    initial = {
        "name": gateway.name,
        "base_url": gateway.base_url,
        "version": gateway.version,
        "default_credential": gateway.default_credential_id,
        "tags": ", ".join(gateway.tags),
        "allow_concurrent_runs": gateway.allow_concurrent_runs,
        "description": gateway.description,
    }
    data = request.POST if request.method == "POST" else None
    form = _form(request, data=data, gateway=gateway, initial=initial)
    context = {"form": form, "gateway": gateway}
    if request.method == "GET":
        return render(request, "gateways/_form.html", context, page=PAGE)
    if form.is_valid():
        try:
            gateway_update(gateway, actor=request.user, **form.service_values())
        except ApplicationError as exc:
            refused(form, exc)
        else:
            messages.success(request, f"Saved gateway {gateway.name}.")
            return go(request, reverse("gateways:list"))
    return render(request, "gateways/_form.html", context, status=422, page=PAGE)


@require_POST
@domain_errors("gateways:list")
def gateway_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    gateway = gateway_get_for_user(request.user, pk)
    gateway_delete(gateway, actor=request.user)
    messages.success(request, f"Deleted gateway {gateway.name}.")
    return go(request, reverse("gateways:list"))


@require_POST
@domain_errors("gateways:list")
def gateway_check(request: AuthenticatedHttpRequest, pk: int) -> TemplateResponse:
    """Ping the gateway's /StatusPing and show the verdict in its row."""
    result = gateway_ping(gateway_get_for_user(request.user, pk))
    context = {"ok": result.ok, "message": result.message}
    return TemplateResponse(request, "credentials/_probe.html", context)
