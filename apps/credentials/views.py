"""The credentials page: list, add, edit, delete and test. Secrets are never sent back."""

from functools import partial

from django.contrib import messages
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.roles import Role
from apps.accounts.selectors import team_list_for_user, user_has_role
from apps.core.errors import ApplicationError, PermissionDeniedError
from apps.core.http import AuthenticatedHttpRequest
from apps.core.pages import domain_errors, fragment_or_page, go, refused
from apps.credentials.forms import CredentialCreateForm, CredentialUpdateForm
from apps.credentials.selectors import credential_get_for_user, credential_list_for_user
from apps.credentials.services import (
    credential_create,
    credential_delete,
    credential_test_connection,
    credential_update,
)

PAGE = "credentials/page.html"


render = partial(fragment_or_page, page=PAGE)


@require_GET
def credential_list(request: AuthenticatedHttpRequest) -> TemplateResponse:
    teams = team_list_for_user(request.user)
    context = {
        "credentials": credential_list_for_user(request.user),
        "can_edit": user_has_role(request.user, Role.EDITOR),
        "can_test": any(user_has_role(request.user, role) for role in (Role.OPERATOR, Role.EDITOR)),
        "several_teams": teams.count() > 1,
        "form": CredentialCreateForm(teams=teams),
    }
    return TemplateResponse(request, "credentials/list.html", context)


@require_POST
@domain_errors("credentials:list")
def credential_add(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = CredentialCreateForm(request.POST, teams=team_list_for_user(request.user))
    if form.is_valid():
        try:
            credential = credential_create(actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            refused(form, exc)
        else:
            messages.success(request, f"Added credential {credential.name}.")
            return go(request, reverse("credentials:list"))
    return render(request, "credentials/_create_form.html", {"form": form}, status=422)


@require_http_methods(["GET", "POST"])
@domain_errors("credentials:list")
def credential_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    credential = credential_get_for_user(request.user, pk)
    initial = {
        "username": credential.username,
        "gateway_url": credential.gateway_url,
        "description": credential.description,
        "shared": credential.shared,
    }
    form = CredentialUpdateForm(request.POST if request.method == "POST" else None, initial=initial)
    context = {"form": form, "credential": credential}
    if request.method == "GET":
        return render(request, "credentials/_edit_form.html", context)
    if form.is_valid():
        try:
            credential_update(credential, actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            refused(form, exc)
        else:
            messages.success(request, f"Saved credential {credential.name}.")
            return go(request, reverse("credentials:list"))
    return render(request, "credentials/_edit_form.html", context, status=422)


@require_POST
@domain_errors("credentials:list")
def credential_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    credential = credential_get_for_user(request.user, pk)
    credential_delete(credential, actor=request.user)
    messages.success(request, f"Deleted credential {credential.name}.")
    return go(request, reverse("credentials:list"))


@require_POST
@domain_errors("credentials:list")
def credential_test(request: AuthenticatedHttpRequest, pk: int) -> TemplateResponse:
    """Test the connection and show the verdict in the row (never the secret)."""
    credential = credential_get_for_user(request.user, pk)
    try:
        result = credential_test_connection(credential, actor=request.user)
    except PermissionDeniedError:
        raise
    except ApplicationError as exc:
        context = {"ok": False, "message": exc.message}
        return TemplateResponse(request, "credentials/_probe.html", context, status=422)
    context = {"ok": result.ok, "message": result.message}
    return TemplateResponse(request, "credentials/_probe.html", context)
