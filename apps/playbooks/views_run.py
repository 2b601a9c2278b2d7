"""The Run dialog: one typed input per parameter, target, debug, presets; starts a run, or a
batch (one run per gateway) when the target is several gateways or a gateway tag."""

from django.http import Http404, HttpResponse
from django.views.decorators.http import require_http_methods

from apps.core.errors import ApplicationError, PermissionDeniedError
from apps.core.http import AuthenticatedHttpRequest
from apps.core.pages import domain_errors, go
from apps.credentials.selectors import credential_list_for_user, credential_names_for_team
from apps.executions.batch_selectors import batch_gateways_tagged
from apps.executions.launch_rate import LaunchRateExceeded, launch_rate_check
from apps.executions.parameters import ParameterError, parameters_coerce_given
from apps.executions.services.batches import batch_start
from apps.executions.services.launch import execution_start
from apps.files.run_form import PICK_SUFFIX, picked_files, uploaded_files
from apps.files.selectors import file_choices_for_team
from apps.gateways.selectors import gateway_list_for_user
from apps.playbooks import forms
from apps.playbooks.forms_target import TAG, RunTargetForm
from apps.playbooks.selectors import preset_get_for_user, preset_list_for_user
from apps.playbooks.services import preset_create, preset_delete, preset_update
from apps.playbooks.views import back_to_playbook, get_playbook, render, roles

FRAGMENT = "playbooks/_run_form.html"


@require_http_methods(["GET", "POST"])
@domain_errors(back_to_playbook)
def playbook_run(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """GET: the dialog (``?preset=<id>`` loads a preset). POST: run, or save/delete a preset."""
    playbook = get_playbook(request, pk)
    context = _context(request, playbook)
    if request.method == "GET":
        preset = _preset(request, playbook, request.GET.get("preset"))
        initial = preset.values if preset else None
        context.update(preset=preset, fields=_fields(context, initial=initial))
        return render(request, FRAGMENT, context, title=f"Run {playbook.name}")
    action = request.POST.get("action", "run")
    handler = PRESET_ACTIONS.get(action, _start)
    return handler(request, playbook, context)


def _start(request, playbook, context) -> HttpResponse:
    """Run with the typed values; a secret left empty takes the loaded preset's stored one.
    A file uploaded for a file parameter goes into the library first, and the run uses it."""
    target = context["target_form"]
    if target.is_batch and not target.is_valid():
        return _errors(request, context, [])
    data, texts, preset = _launch_values(request, context)
    launch = {
        "actor": request.user,
        "parameters": texts,
        "debug": request.POST.get("debug") == "on",
        "stored_secrets": preset.secret_values_dict() if preset is not None else None,
    }
    try:
        launch_rate_check(request)
        _upload_in_place(request, context, data, texts)
        if target.is_batch:
            started = batch_start(playbook, **launch, **_batch_targets(request, playbook, target))
        else:
            started = execution_start(playbook, gateway=_gateway(request, context), **launch)
    except ParameterError as exc:
        return _errors(request, context, exc.problems, data=data)
    except LaunchRateExceeded as exc:
        return _errors(request, context, [exc.message], status=exc.status, data=data)
    except PermissionDeniedError:
        raise
    except ApplicationError as exc:
        return _errors(request, context, [exc.message], data=data)
    return go(request, started.get_absolute_url())


def _launch_values(request, context):
    """The submitted form, the parameter texts to launch with and the selected preset."""
    definitions, data = context["definitions"], request.POST.copy()
    texts = forms.submitted_values(data, definitions)
    texts.update(picked_files(data, definitions, forms.PARAM_PREFIX))
    preset = _selected(request, context)
    if preset is not None:
        texts = forms.with_stored_secrets(definitions, texts, preset.values)
    return data, texts, preset


def _batch_targets(request, playbook, target: RunTargetForm) -> dict:
    """The gateways (and tag) of a valid batch target."""
    tag = target.cleaned_data["gateway_tag"] if target.cleaned_data["target"] == TAG else ""
    if tag:
        gateways = batch_gateways_tagged(request.user, playbook.team, tag)
    else:
        gateways = list(target.cleaned_data["gateways"])
    return {"gateways": gateways, "gateway_tag": tag, **target.batch_options()}


def _upload_in_place(request, context, data, texts: dict) -> None:
    """Store the files uploaded for file parameters into the team's library and use them; the
    form picks them from the library from now on (should the launch itself be refused)."""
    playbook, definitions = context["playbook"], context["definitions"]
    uploads, problems = uploaded_files(
        request.FILES, definitions, forms.PARAM_PREFIX, team=playbook.team, actor=request.user
    )
    texts.update(uploads)
    for name, reference in uploads.items():
        data[forms.PARAM_PREFIX + name + PICK_SUFFIX] = str(reference["file"])
    if uploads:
        context["files"] = list(file_choices_for_team(playbook.team))
    if problems:
        raise ParameterError(problems)


def _save(request, playbook, context) -> HttpResponse:
    """Save the typed values into the selected preset, or as a new one (``save_as``).

    A secret left empty keeps the value the selected preset stores.
    """
    definitions = context["definitions"]
    texts = forms.submitted_values(request.POST, definitions)
    texts.update(picked_files(request.POST, definitions, forms.PARAM_PREFIX))
    names = credential_names_for_team(playbook.team)
    try:
        if request.POST.get("action") != "save_as":
            preset = _preset(request, playbook, request.POST.get("preset"), required=True)
            texts = forms.with_stored_secrets(definitions, texts, preset.values)
        values = parameters_coerce_given(definitions, texts, credential_names=names)
        if request.POST.get("action") == "save_as":
            preset = preset_create(
                playbook=playbook,
                actor=request.user,
                name=request.POST.get("preset_name", ""),
                values=values,
                shared=request.POST.get("preset_shared") == "on",
            )
        else:
            preset = preset_update(preset, actor=request.user, values=values)
    except ParameterError as exc:
        return _errors(request, context, exc.problems)
    except PermissionDeniedError:
        raise
    except ApplicationError as exc:
        return _errors(request, context, [exc.message])
    return _notice(request, context, preset, f"Preset “{preset.name}” saved.")


def _delete(request, playbook, context) -> HttpResponse:
    preset = _preset(request, playbook, request.POST.get("preset"), required=True)
    preset_delete(preset, actor=request.user)
    return _notice(request, context, None, f"Preset “{preset.name}” deleted.")


# The dialog's preset buttons; any other action starts a run.
PRESET_ACTIONS = {"save": _save, "save_as": _save, "delete": _delete}


def _notice(request, context, preset, notice: str) -> HttpResponse:
    context.update(
        presets=preset_list_for_user(request.user, playbook=context["playbook"]),
        preset=preset,
        notice=notice,
        fields=_fields(context, data=request.POST),
    )
    return render(request, FRAGMENT, context, title="Run")


def _errors(request, context, problems: list[str], *, status: int = 422, data=None) -> HttpResponse:
    by_field, general = forms.problems_by_field(problems)
    fields = _fields(context, data=request.POST if data is None else data)
    for field in fields:
        field["errors"] = by_field.get(field["name"], [])
    context.update(fields=fields, errors=general, preset=_selected(request, context))
    return render(request, FRAGMENT, context, status=status, title="Run")


def _context(request, playbook) -> dict:
    user = request.user
    gateways = gateway_list_for_user(user).filter(team=playbook.team)
    posted = request.POST if request.method == "POST" else None
    return {
        "playbook": playbook,
        "definitions": playbook.current_version.parameters,
        "credentials": list(credential_list_for_user(user).filter(team=playbook.team)),
        "gateways": list(gateways),
        "target_form": RunTargetForm(
            posted,
            gateways=gateways,
            launching=request.POST.get("action") not in PRESET_ACTIONS,
            auto_id="run-%s",
        ),
        "presets": preset_list_for_user(user, playbook=playbook),
        "files": list(file_choices_for_team(playbook.team)),
        "gateway_id": request.POST.get("gateway", ""),
        "debug": request.POST.get("debug") == "on",
        **roles(request),
    }


def _fields(context, *, data=None, initial=None) -> list[dict]:
    return forms.run_fields(
        context["definitions"],
        context["credentials"],
        data=data,
        initial=initial,
        files=context["files"],
    )


def _gateway(request, context):
    chosen = request.POST.get("gateway", "")
    gateway = next((g for g in context["gateways"] if str(g.pk) == chosen), None)
    if chosen and gateway is None:
        raise Http404("No such gateway in this playbook's team.")
    return gateway


def _preset(request, playbook, preset_id, *, required: bool = False):
    if not (preset_id or "").isdigit():
        if required:
            raise Http404("Choose a preset first.")
        return None
    preset = preset_get_for_user(request.user, int(preset_id))
    if preset.playbook_id != playbook.pk:
        raise Http404("That preset belongs to another playbook.")
    return preset


def _selected(request, context):
    chosen = request.POST.get("preset", "")
    return next((p for p in context["presets"] if str(p.pk) == chosen), None)
