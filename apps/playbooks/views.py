"""HTML pages of the playbook catalogue: list, detail, editors, versions and the Run dialog."""

import json
from functools import lru_cache, partial
from itertools import groupby

import yaml
from django.contrib import messages
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.roles import Role
from apps.accounts.selectors import team_list_for_user, user_has_role
from apps.core.http import AuthenticatedHttpRequest
from apps.core.pages import domain_errors, fragment_or_page, go
from apps.playbooks import forms
from apps.playbooks.errors import PlaybookInvalidError
from apps.playbooks.forms_import import PlaybookSetImportForm
from apps.playbooks.loader import PlaybookValidationError, load_playbook
from apps.playbooks.models import Playbook
from apps.playbooks.selectors import (
    playbook_get_for_user,
    playbook_list_for_user,
    playbook_version_list,
)
from apps.playbooks.services import (
    playbook_create_from_template,
    playbook_delete,
    playbook_duplicate,
    playbook_export,
    playbook_import,
    playbook_set_enabled,
    playbook_set_verified,
)

FRAGMENT_PAGE = "playbooks/page.html"
IMPORT_FRAGMENT = "playbooks/_import_form.html"
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def back_to_playbook(kwargs: dict) -> str:
    """Where a refused action returns: the playbook's page, else the list."""
    pk = kwargs.get("pk")
    return reverse("playbooks:detail", args=[pk]) if pk else _list_url()


render = partial(fragment_or_page, page=FRAGMENT_PAGE)


def get_playbook(request, pk: int) -> Playbook:
    return playbook_get_for_user(request.user, pk)


def roles(request) -> dict:
    user = request.user
    return {
        "can_edit": user_has_role(user, Role.EDITOR),
        "can_run": user_has_role(user, Role.OPERATOR),
    }


@require_GET
def playbook_list(request: AuthenticatedHttpRequest) -> TemplateResponse:
    filters = forms.PlaybookFilterForm(request.GET)
    playbooks = list(playbook_list_for_user(request.user, filters=filters.selector_filters()))
    for playbook in playbooks:
        playbook.step_count = _step_count(playbook.current_version)
    context = {
        "filters": filters,
        "domains": _grouped(playbooks),
        "total": len(playbooks),
        **roles(request),
    }
    if request.htmx and request.htmx.target == "playbook-groups":
        return TemplateResponse(request, "playbooks/_groups.html", context)
    teams = team_list_for_user(request.user)
    context.update(
        create_form=forms.PlaybookCreateForm(teams=teams),
        import_form=forms.PlaybookImportForm(teams=teams),
        import_set_form=PlaybookSetImportForm(teams=teams),
    )
    return TemplateResponse(request, "playbooks/list.html", context)


@require_POST
@domain_errors(back_to_playbook)
def playbook_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = forms.PlaybookCreateForm(request.POST, teams=team_list_for_user(request.user))
    if form.is_valid():
        playbook = playbook_create_from_template(actor=request.user, **form.cleaned_data)
        messages.success(request, f"Created {playbook.name}.")
        return go(request, reverse("playbooks:detail", args=[playbook.pk]))
    context = {"create_form": form}
    return render(request, "playbooks/_create_form.html", context, status=422, title="New")


@require_POST
@domain_errors(back_to_playbook)
def playbook_import_file(request: AuthenticatedHttpRequest) -> HttpResponse:
    teams = team_list_for_user(request.user)
    form = forms.PlaybookImportForm(request.POST, request.FILES, teams=teams)
    if form.is_valid():
        data = form.cleaned_data
        try:
            result = playbook_import(
                team=data["team"],
                actor=request.user,
                content=data["file"],
                filename=request.FILES["file"].name,
                lenient=data["lenient"],
            )
        except PlaybookInvalidError as exc:
            context = {"import_form": form, "issues": exc.issues}
            return render(request, IMPORT_FRAGMENT, context, status=422, title="Import")
        messages.success(request, _import_message(result))
        return go(request, reverse("playbooks:detail", args=[result.playbook.pk]))
    context = {"import_form": form}
    return render(request, IMPORT_FRAGMENT, context, status=422, title="Import")


@require_GET
@domain_errors(back_to_playbook)
def playbook_detail(request: AuthenticatedHttpRequest, pk: int) -> TemplateResponse:
    playbook = get_playbook(request, pk)
    version = playbook.current_version
    context = {
        "playbook": playbook,
        "version": version,
        "steps": _steps(playbook),
        "parameters": [
            {**p, "default_text": _as_text(p.get("default"))} for p in version.parameters
        ],
        "versions": playbook_version_list(playbook),
        "yaml_form": forms.YamlForm(
            initial={"yaml_text": version.yaml_text, "base_revision": version.revision}
        ),
        **roles(request),
    }
    return TemplateResponse(request, "playbooks/detail.html", context)


@require_POST
@domain_errors(back_to_playbook)
def playbook_copy(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    form = forms.DuplicateForm(request.POST)
    name = form.cleaned_data["name"] if form.is_valid() else ""
    copy = playbook_duplicate(get_playbook(request, pk), actor=request.user, name=name)
    messages.success(request, f"Created {copy.name} from {copy.duplicated_from.name}.")
    return go(request, reverse("playbooks:detail", args=[copy.pk]))


@require_GET
@domain_errors(back_to_playbook)
def playbook_download(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    file_format = request.GET.get("format", "yaml")
    playbook = get_playbook(request, pk)
    exported = playbook_export(playbook, actor=request.user, file_format=file_format)
    response = HttpResponse(exported.content, content_type=exported.content_type)
    response["Content-Disposition"] = f'attachment; filename="{exported.filename}"'
    return response


@require_POST
@domain_errors(back_to_playbook)
def playbook_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    playbook = get_playbook(request, pk)
    playbook_delete(playbook, actor=request.user)
    messages.success(request, f"Deleted {playbook.name}.")
    return go(request, _list_url())


@require_POST
@domain_errors(back_to_playbook)
def playbook_flag(request: AuthenticatedHttpRequest, pk: int, flag: str) -> HttpResponse:
    """Verify/unverify or enable/disable; ``value`` is ``true`` or ``false``."""
    playbook = get_playbook(request, pk)
    value = request.POST.get("value") == "true"
    if flag == "verified":
        playbook_set_verified(playbook, actor=request.user, verified=value)
    else:
        playbook_set_enabled(playbook, actor=request.user, enabled=value)
    words = {"verified": ("verified", "unverified"), "enabled": ("enabled", "disabled")}[flag]
    messages.success(request, f"{playbook.name} is now {words[0] if value else words[1]}.")
    return go(request, reverse("playbooks:detail", args=[pk]))


def _list_url() -> str:
    return reverse("playbooks:list")


def _import_message(result) -> str:
    text = f"Imported {result.playbook.name} as {result.playbook.path}."
    if result.warnings:
        text += f" {len(result.warnings)} change(s) for the portal's format."
    return text


def _grouped(playbooks: list[Playbook]) -> list[dict]:
    """Domains, each with its groups (ungrouped first), in the selector's order."""
    domains = []
    for domain, items in groupby(playbooks, key=lambda p: p.domain or "other"):
        items = list(items)
        groups = [
            {"name": name, "playbooks": list(members)}
            for name, members in groupby(items, key=lambda p: p.group)
        ]
        domains.append({"name": domain, "count": len(items), "groups": groups})
    return domains


def _step_count(version) -> int:
    return _count_steps(version.yaml_text) if version is not None else 0


@lru_cache(maxsize=1024)
def _count_steps(text: str) -> int:
    try:
        document = yaml.load(text, Loader=YAML_LOADER)  # noqa: S506 (a safe loader)
    except yaml.YAMLError:
        return 0
    steps = document.get("steps") if isinstance(document, dict) else None
    return len(steps) if isinstance(steps, list) else 0


def _steps(playbook: Playbook) -> list[dict]:
    """The current version's steps with every option filled in (timeout, retries…)."""
    try:
        steps = load_playbook(playbook.current_version.yaml_text, source=playbook.path).steps
    except PlaybookValidationError:
        return []
    return [{**step, "family": step["type"].split(".", 1)[0]} for step in steps]


def _as_text(value) -> str | None:
    """A parameter default as written in YAML/JSON (``false``, ``["a"]``), None when unset."""
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)
