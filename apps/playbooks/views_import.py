"""The Playbooks page's set import: preview what the import changes, then import."""

from django.contrib import messages
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from apps.accounts.selectors import team_list_for_user
from apps.core.errors import ApplicationError, PermissionDeniedError
from apps.core.http import AuthenticatedHttpRequest
from apps.core.pages import domain_errors, go
from apps.playbooks.forms_import import PlaybookSetImportForm
from apps.playbooks.services.imports import playbook_import_set
from apps.playbooks.services.sets import files_from_uploads, set_name_of

RESULT = "playbooks/_import_set_result.html"


@require_POST
@domain_errors("playbooks:list")
def playbook_import_set_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """``preview`` in the form: a dry run listing each file's result, changes and errors."""
    form = PlaybookSetImportForm(
        request.POST, request.FILES, teams=team_list_for_user(request.user)
    )
    if not form.is_valid():
        return TemplateResponse(request, RESULT, {"form_errors": form.errors}, status=422)
    data, preview = form.cleaned_data, "preview" in request.POST
    try:
        result = playbook_import_set(
            team=data["team"],
            actor=request.user,
            files=files_from_uploads(data["files"]),
            set_name=set_name_of([name for name, _ in data["files"]]),
            namespace=data["namespace"] or None,
            lenient=data["lenient"],
            dry_run=preview,
        )
    except PermissionDeniedError:
        raise
    except ApplicationError as exc:
        return TemplateResponse(request, RESULT, {"problem": str(exc)}, status=422)
    if preview or not result.ok:
        context = {"result": result, "preview": preview}
        return TemplateResponse(request, RESULT, context, status=200 if result.ok else 422)
    messages.success(request, f"Imported {len(result.files)} playbook(s) into {result.namespace}.")
    return go(request, reverse("playbooks:list"))
