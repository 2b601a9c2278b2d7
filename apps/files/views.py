"""The Files page: the team's library, upload, a file's versions, download and delete."""

from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.roles import Role
from apps.accounts.selectors import team_list_for_user
from apps.core.errors import ApplicationError
from apps.core.http import AuthenticatedHttpRequest
from apps.core.pages import domain_errors, refused
from apps.credentials.access import user_holds_team_role
from apps.files.forms import FileUploadForm
from apps.files.selectors import file_get_for_user, file_list_for_user, version_get
from apps.files.services import file_delete, file_upload, user_may_upload
from apps.files.store import content_key, content_open


@require_GET
def file_list(request: AuthenticatedHttpRequest) -> TemplateResponse:
    teams = team_list_for_user(request.user)
    context = {
        "files": file_list_for_user(request.user),
        "can_upload": any(user_may_upload(request.user, team) for team in teams),
        "several_teams": teams.count() > 1,
    }
    return TemplateResponse(request, "files/list.html", context)


@require_http_methods(["GET", "POST"])
@domain_errors("files:list")
def file_upload_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    teams = team_list_for_user(request.user)
    if request.method == "GET":
        form = FileUploadForm(teams=teams, initial={"name": request.GET.get("name", "")})
        return TemplateResponse(request, "files/upload.html", {"form": form})
    form = FileUploadForm(request.POST, request.FILES, teams=teams)
    if form.is_valid():
        try:
            version = file_upload(
                actor=request.user, upload=form.cleaned_data.pop("file"), **form.cleaned_data
            )
        except ApplicationError as exc:
            refused(form, exc)
        else:
            messages.success(request, f"Uploaded {version.file.name} (version {version.number}).")
            return redirect(version.file.get_absolute_url())
    return TemplateResponse(request, "files/upload.html", {"form": form}, status=422)


@require_GET
@domain_errors("files:list")
def file_detail(request: AuthenticatedHttpRequest, pk: int) -> TemplateResponse:
    library_file = file_get_for_user(request.user, pk)
    context = {
        "file": library_file,
        "versions": library_file.versions.select_related("uploaded_by"),
        "can_upload": user_may_upload(request.user, library_file.team),
        "can_delete": user_holds_team_role(request.user, library_file.team, Role.EDITOR),
    }
    return TemplateResponse(request, "files/detail.html", context)


@require_GET
@domain_errors("files:list")
def file_download(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    """The latest version, or ``?version=<n>``."""
    library_file = file_get_for_user(request.user, pk)
    number = request.GET.get("version", "")
    version = version_get(library_file, int(number) if number.isdigit() else None)
    return file_response(version)


def file_response(version) -> FileResponse:
    """The version's bytes as an attachment named after the file."""
    stream = content_open(content_key(version.file.team_id, version.sha256))
    response = FileResponse(stream, as_attachment=True, filename=version.file.name)
    response["Content-Length"] = str(version.size)
    response["Content-Type"] = "application/octet-stream"
    return response


@require_POST
@domain_errors("files:list")
def file_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    library_file = file_get_for_user(request.user, pk)
    try:
        file_delete(library_file, actor=request.user)
    except ApplicationError as exc:
        if exc.status == 403:
            raise
        messages.error(request, exc.message)
        return redirect(library_file.get_absolute_url())
    messages.success(request, f"Deleted file {library_file.name} and its versions.")
    return redirect(reverse("files:list"))
