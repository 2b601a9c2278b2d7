"""The playbook detail page's editors: YAML with live validation, one step, versions."""

import yaml
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.core.errors import ApplicationError, NotFoundError, PermissionDeniedError
from apps.core.http import AuthenticatedHttpRequest
from apps.core.pages import domain_errors, go
from apps.credentials.selectors import credential_names_for_team
from apps.playbooks import forms
from apps.playbooks.diffs import diff_lines
from apps.playbooks.errors import PlaybookInvalidError
from apps.playbooks.selectors import playbook_version_diff
from apps.playbooks.services import (
    playbook_restore_version,
    playbook_update,
    playbook_update_step,
)
from apps.playbooks.services._common import validate_for_team
from apps.playbooks.views import back_to_playbook, get_playbook, render
from apps.steps.registry import UnknownStepTypeError, all_step_types, get_step_type

OPTION_LABELS = {
    "timeout": "Timeout (s)",
    "retry_count": "Retries",
    "retry_delay": "Retry delay (s)",
}


@require_POST
@domain_errors(back_to_playbook)
def playbook_validate(request: AuthenticatedHttpRequest, pk: int) -> TemplateResponse:
    """Live validation of the YAML editor: every issue with its line and column."""
    playbook = get_playbook(request, pk)
    text = request.POST.get("yaml_text", "")
    try:
        loaded = validate_for_team(text, team=playbook.team, source=playbook.path)
    except PlaybookInvalidError as exc:
        return TemplateResponse(request, "playbooks/_yaml_issues.html", {"issues": exc.issues})
    context = {"loaded": loaded, "issues": []}
    return TemplateResponse(request, "playbooks/_yaml_issues.html", context)


@require_POST
@domain_errors(back_to_playbook)
def playbook_save_yaml(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    playbook = get_playbook(request, pk)
    form = forms.YamlForm(request.POST)
    if not form.is_valid():
        issues = [{"message": f"{k}: {' '.join(v)}"} for k, v in form.errors.items()]
        return render(request, "playbooks/_yaml_issues.html", {"issues": issues}, status=422)
    before = playbook.current_version_id
    try:
        playbook = playbook_update(playbook, actor=request.user, **form.cleaned_data)
    except PermissionDeniedError:
        raise
    except ApplicationError as exc:
        issues = getattr(exc, "issues", None) or [{"message": exc.message}]
        return render(request, "playbooks/_yaml_issues.html", {"issues": issues}, status=422)
    if playbook.current_version_id == before:
        messages.info(request, "Nothing changed: the YAML is the same as the current revision.")
    else:
        messages.success(request, f"Saved revision {playbook.current_version.revision}.")
    return go(request, reverse("playbooks:detail", args=[pk]))


@require_GET
@domain_errors(back_to_playbook)
def playbook_diff(request: AuthenticatedHttpRequest, pk: int) -> TemplateResponse:
    playbook = get_playbook(request, pk)
    current = playbook.current_version.revision
    try:
        from_revision = int(request.GET.get("from", current))
        to_revision = int(request.GET.get("to", current))
    except ValueError:
        raise Http404("Revisions are numbers.") from None
    text = playbook_version_diff(playbook, from_revision=from_revision, to_revision=to_revision)
    context = {
        "playbook": playbook,
        "from_revision": from_revision,
        "to_revision": to_revision,
        "lines": diff_lines(text),
    }
    return render(request, "playbooks/_diff.html", context, title=f"{playbook.name}: diff")


@require_POST
@domain_errors(back_to_playbook)
def playbook_restore(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    playbook = get_playbook(request, pk)
    revision = request.POST.get("revision", "")
    if not revision.isdigit():
        raise Http404("Choose a revision to restore.")
    playbook = playbook_restore_version(playbook, actor=request.user, revision=int(revision))
    messages.success(
        request, f"Restored revision {revision} as revision {playbook.current_version.revision}."
    )
    return go(request, reverse("playbooks:detail", args=[pk]))


@require_http_methods(["GET", "POST"])
@domain_errors(back_to_playbook)
def playbook_step(request: AuthenticatedHttpRequest, pk: int, step_id: str) -> HttpResponse:
    """The form editor of one step, its inputs drawn from the step type's schema."""
    playbook = get_playbook(request, pk)
    original = _raw_step(playbook, step_id)
    type_id = request.GET.get("type") or request.POST.get("type") or original.get("type", "")
    try:
        step_type = get_step_type(type_id).as_dict()
    except UnknownStepTypeError as exc:
        raise Http404(str(exc)) from None
    context = {"playbook": playbook, "step_id": step_id, "step": original, "issues": []}
    status = 200
    if request.method == "POST":
        step = forms.step_from_post(request.POST, step_type, original)
        try:
            playbook_update_step(
                playbook,
                actor=request.user,
                step_id=step_id,
                step=step,
                change_note=request.POST.get("change_note", ""),
                base_revision=_int_or_none(request.POST.get("base_revision")),
            )
        except PlaybookInvalidError as exc:
            context.update(step=step, issues=exc.issues)
            status = 422
        else:
            messages.success(request, f"Saved step {step['id'] or step_id}.")
            return go(request, reverse("playbooks:detail", args=[pk]) + "#steps")
    context.update(_step_context(playbook, step_type, context["step"]))
    return render(request, "playbooks/_step_form.html", context, status=status, title="Edit step")


def _step_context(playbook, step_type: dict, step: dict) -> dict:
    families: dict[str, list[str]] = {}
    for item in all_step_types():
        families.setdefault(item.family, []).append(item.id)
    names = credential_names_for_team(playbook.team)
    return {
        "step_type": step_type,
        "families": sorted(families.items()),
        "param_fields": forms.step_form_fields(step_type, step.get("parameters") or {}, names),
        "options": [
            {
                "name": key,
                "label": key.replace("_", " ").capitalize()
                + ("" if key == "retry_count" else " (s)"),
                "value": step.get(key, ""),
                "default": default,
            }
            for key, default in forms.STEP_DEFAULTS.items()
            if key != "on_failure"
        ],
        "on_failure": step.get("on_failure", "abort"),
        "on_failure_choices": forms.ON_FAILURE_CHOICES,
        "revision": playbook.current_version.revision,
    }


def _raw_step(playbook, step_id: str) -> dict:
    """The step as written in the current YAML (no defaults filled in)."""
    document = yaml.safe_load(playbook.current_version.yaml_text) or {}
    for step in document.get("steps") or []:
        if isinstance(step, dict) and step.get("id") == step_id:
            return step
    raise NotFoundError(f"{playbook} has no step {step_id!r}.")


def _int_or_none(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() else None
