"""Forms of the playbook pages: filters, create/import, the Run dialog and the step editor.

Inputs are text on purpose: the rules of ``apps.steps.values`` turn form text into the declared
types (``"5"`` → 5, ``"yes"`` → true, JSON → list/dict) and typed values back into text, so the
typing rules exist once. The Run dialog's text is typed at launch (``apps.executions.parameters``
applies the same rules); the step editor's text is typed here, and text that cannot take its
type is saved as written for the loader to refuse with the same phrase a launch would use.
"""

import re
from typing import Any

from django import forms

from apps.core.json_input import json_loads_bounded
from apps.credentials.forms import TeamField
from apps.credentials.models import SECRET_PLACEHOLDER
from apps.executions.secret_parameters import secret_names
from apps.files.reference import is_reference
from apps.files.run_form import picker_field
from apps.playbooks.loader.steps import ON_FAILURE, STEP_DEFAULTS
from apps.playbooks.services import DOMAINS
from apps.steps.schema import TEXT_TYPES, ParamType
from apps.steps.values import to_boolean, to_float, to_integer, value_as_text, value_convert

MAX_UPLOAD_BYTES = 1_000_000
PARAM_PREFIX = "param-"
STATUS_FILTERS = {
    "verified": {"verified": True},
    "unverified": {"verified": False},
    "enabled": {"enabled": True},
    "disabled": {"enabled": False},
}
PROBLEM_NAME = re.compile(r"^(?:unknown parameter )?'([^']+)'")


class PlaybookFilterForm(forms.Form):
    search = forms.CharField(required=False, label="Search")
    domain = forms.ChoiceField(
        required=False, choices=[("", "All domains")] + [(d, d.title()) for d in DOMAINS]
    )
    status = forms.ChoiceField(
        required=False,
        choices=[("", "Any state")] + [(key, key.title()) for key in STATUS_FILTERS],
    )

    def selector_filters(self) -> dict:
        """The filters for ``playbook_list_for_user`` (invalid input filters nothing)."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        filters = {"search": data["search"], "domain": data["domain"] or None}
        filters.update(STATUS_FILTERS.get(data["status"], {}))
        return filters


class PlaybookCreateForm(forms.Form):
    name = forms.CharField(max_length=200)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    domain = forms.ChoiceField(choices=[(d, d.title()) for d in DOMAINS])

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"] = TeamField(teams)


class PlaybookImportForm(forms.Form):
    file = forms.FileField(
        label="YAML or export JSON file",
        widget=forms.ClearableFileInput(attrs={"accept": ".yaml,.yml,.json"}),
    )
    lenient = forms.BooleanField(
        required=False, label="Drop keys the original tools ignored instead of refusing them"
    )

    def __init__(self, *args, teams, **kwargs):
        # Shown beside the create form, which also has a team: ids of its own keep labels apart.
        kwargs.setdefault("auto_id", "import_%s")
        super().__init__(*args, **kwargs)
        self.fields["team"] = TeamField(teams)

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The file is larger than 1 MB.")
        try:
            return upload.read().decode("utf-8")
        except UnicodeDecodeError:
            raise forms.ValidationError("The file is not UTF-8 text.") from None


class YamlForm(forms.Form):
    yaml_text = forms.CharField(strip=False, max_length=MAX_UPLOAD_BYTES)
    change_note = forms.CharField(required=False, max_length=500)
    base_revision = forms.IntegerField(required=False)


class DuplicateForm(forms.Form):
    name = forms.CharField(required=False, max_length=200)


def run_fields(
    definitions: list[dict], credentials, data=None, initial=None, files=()
) -> list[dict]:
    """One input description per parameter for the Run dialog's template.

    ``data`` is the submitted form (its text wins), ``initial`` a preset's typed values,
    ``files`` the team's library files offered to file parameters. A secret parameter's input
    never holds a value: ``stored`` says the preset has one.
    """
    fields, secrets = [], secret_names(definitions)
    for definition in definitions:
        name, kind = definition["name"], definition.get("type", "string")
        given = (initial or {}).get(name, definition.get("default"))
        value = _initial_text(kind, given)
        if data is not None:
            value = submitted_value(data, name, kind)
        stored = name in secrets and (initial or {}).get(name) == SECRET_PLACEHOLDER
        fields.append(
            {
                "name": name,
                "input_name": PARAM_PREFIX + name,
                "kind": kind,
                "value": value,
                "default": _initial_text(kind, definition.get("default")),
                "required": definition.get("required", False),
                "description": definition.get("description", ""),
                "choices": [c.name for c in credentials] if kind == "credential" else None,
                **({"value": "", "secret": True, "stored": stored} if name in secrets else {}),
                **(picker_field(name, given, files, data, PARAM_PREFIX) if kind == "file" else {}),
            }
        )
    return fields


def submitted_value(data, name: str, kind: str) -> str:
    """The text typed for parameter ``name``; a switch sends ``false`` then maybe ``true``."""
    values = data.getlist(PARAM_PREFIX + name)
    if kind == "boolean":
        return values[-1] if values else "false"
    return values[-1] if values else ""


def submitted_values(data, definitions: list[dict]) -> dict[str, str]:
    """Every non-empty parameter text of the Run dialog, by parameter name."""
    values = {}
    for definition in definitions:
        kind = definition.get("type", "string")
        value = submitted_value(data, definition["name"], kind)
        if value.strip() != "":
            values[definition["name"]] = value if kind in ("string", "file") else value.strip()
    return values


def problems_by_field(problems: list[str]) -> tuple[dict[str, list[str]], list[str]]:
    """Split ``ParameterError.problems`` into per-parameter messages and the rest."""
    by_field: dict[str, list[str]] = {}
    general = []
    for problem in problems:
        match = PROBLEM_NAME.match(problem)
        if match and not problem.startswith("unknown"):
            message = problem[match.end() :].lstrip(": ").strip()
            by_field.setdefault(match.group(1), []).append(message[:1].upper() + message[1:])
        else:
            general.append(problem)
    return by_field, general


def with_stored_secrets(definitions: list[dict], texts: dict[str, str], stored: dict) -> dict:
    """``texts`` with the placeholder for each secret left empty that ``stored`` holds."""
    kept = {
        name: SECRET_PLACEHOLDER
        for name in secret_names(definitions)
        if name not in texts and stored.get(name) == SECRET_PLACEHOLDER
    }
    return {**texts, **kept}


def _initial_text(kind: str, value) -> str:
    if value is None or (kind == "file" and is_reference(value)):
        return ""
    if kind == "boolean":
        try:
            value = to_boolean(value)
        except ValueError:
            value = False  # the switch shows off for a value that is not true or false
    return value_as_text(value, indent=2)


def step_form_fields(step_type: dict, parameters: dict, credential_names) -> list[dict]:
    """Inputs of the step editor, one per parameter of the step type's schema."""
    fields = []
    for param in step_type["params"]:
        text = value_as_text(parameters.get(param["name"]))
        fields.append(
            {
                **param,
                "input_name": PARAM_PREFIX + param["name"],
                "value": text,
                "widget": _widget(param, text),
                "datalist": sorted(credential_names) if param["type"] == "credential" else None,
            }
        )
    return fields


def _widget(param: dict, text: str) -> str:
    """``enum``/``boolean`` selects unless the value is a template; long values get a box."""
    if param["enum"] and (text == "" or text in [str(v) for v in param["enum"]]):
        return "enum"
    if param["type"] == "boolean" and text in ("", "true", "false"):
        return "boolean"
    if param["type"] in ("list", "dict", "any") or "\n" in text or len(text) > 80:
        return "textarea"
    return "input"


def step_from_post(data, step_type: dict, original: dict) -> dict:
    """The step mapping to save: header fields, options and typed parameters.

    Undeclared parameters (a child playbook's) are kept for types that accept them.
    """
    step = {"id": data.get("id", "").strip(), "name": data.get("name", "").strip()}
    step["type"] = step_type["id"]
    declared = {param["name"] for param in step_type["params"]}
    parameters = {}
    if step_type["accepts_extra_params"]:
        kept = (original.get("parameters") or {}).items()
        parameters = {k: v for k, v in kept if k not in declared}
    for param in step_type["params"]:
        text = data.get(PARAM_PREFIX + param["name"], "")
        if text.strip() != "":
            parameters[param["name"]] = _step_value(param["type"], text)
    if parameters:
        step["parameters"] = parameters
    for key, default in STEP_DEFAULTS.items():
        text = data.get(key, "").strip()
        if text and text != str(default):
            step[key] = text if key == "on_failure" else _option_value(text)
    return step


def _step_value(kind: str, text: str) -> Any:
    """The value to save for a parameter's ``text``; templates and text kinds stay text.

    ``any`` reads JSON (``5``, ``true``, ``[1, 2]``) and keeps other text. Text that cannot take
    its type is kept as written: the loader refuses it, naming the parameter and the value.
    """
    if kind in TEXT_TYPES - {ParamType.ANY} or "{{" in text:
        return text
    try:
        if kind == ParamType.ANY:
            return json_loads_bounded(text)
        return value_convert(kind, text)
    except ValueError:
        return text


def _option_value(text: str) -> Any:
    """A step option's number (``30``, ``2.5``); other text is kept for the loader to refuse."""
    for convert in (to_integer, to_float):
        try:
            return convert(text)
        except ValueError:
            continue
    return text


ON_FAILURE_CHOICES = ON_FAILURE
