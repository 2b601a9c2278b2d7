"""The originals' ways of writing a step that mean something else here.

Lenient mode rewrites each of them into the portal's form and records one warning per change
(file, line, step, what became what); strict mode refuses them with a hint that names the
rewrite. The rewrites:

* a legacy key that replaces a parameter (``code:`` → ``script:``, ``playbook_path:`` →
  ``playbook:``) is renamed;
* each reference inside a ``utility.python`` script moves into ``inputs`` (see ``scripts``);
* a ``browser.navigate`` ``timeout`` below 1000 was written in seconds (the originals ignored
  it): it becomes milliseconds (× 1000);
* ``browser.verify_attribute`` with ``value: null`` checked that the attribute is absent: it
  becomes ``absent: true``.
"""

from __future__ import annotations

from typing import Any

from apps.playbooks.loader.scripts import (
    InputNames,
    ScriptRewriteError,
    move_to_inputs,
    script_references,
)

NAVIGATE_SECONDS_BELOW = 1000
SECRET_FIELDS = ("password",)


def migrate_step(parameters: dict[str, Any], ctx) -> dict[str, Any]:
    """Return the step's parameters in the portal's form (lenient) or report the forms (strict)."""
    parameters = _rename_legacy(dict(parameters), ctx)
    step_type = ctx.step_type.id
    if step_type == "browser.navigate":
        _navigate_timeout(parameters, ctx)
    elif step_type == "browser.verify_attribute":
        _absent_attribute(parameters, ctx)
    elif step_type == "utility.python" and ctx.c.lenient:
        _script_inputs(parameters, ctx)
    return parameters


def _path(ctx, key: str) -> tuple:
    return (*ctx.path, "parameters", ctx.renamed.get(key, key))


def _warn(ctx, message: str, key: str, **kwargs) -> None:
    ctx.c.issue(
        message, _path(ctx, key), step=(ctx.step_id, ctx.path), severity="warning", **kwargs
    )


def _rename_legacy(parameters: dict, ctx) -> dict:
    if not ctx.c.lenient:
        return parameters
    for legacy in ctx.step_type.legacy_params:
        old, new = legacy.name, legacy.replaces
        if new and old in parameters and new not in parameters:
            _warn(ctx, f"'{old}' renamed to '{new}'", old, at_key=True)
            parameters = {(new if key == old else key): v for key, v in parameters.items()}
            ctx.renamed[new] = old
    return parameters


def _navigate_timeout(parameters: dict, ctx) -> None:
    value = parameters.get("timeout")
    if isinstance(value, bool) or not isinstance(value, int | float):
        return
    if not 0 < value < NAVIGATE_SECONDS_BELOW:
        return
    milliseconds = int(value * 1000)
    if ctx.c.lenient:
        parameters["timeout"] = milliseconds
        message = f"'timeout: {value:g}' read as seconds: now 'timeout: {milliseconds}' (ms)"
        _warn(ctx, message, "timeout")
        return
    ctx.error(
        f"'timeout: {value:g}' is {value:g} milliseconds",
        _path(ctx, "timeout"),
        hint=f"browser.navigate's timeout is in milliseconds: write 'timeout: {milliseconds}' "
        f"for {value:g} seconds (lenient import does this)",
    )


def _absent_attribute(parameters: dict, ctx) -> None:
    if "value" not in parameters or parameters["value"] is not None:
        return
    if parameters.get("absent") is not None:
        return  # both given: reported by the parameter checks
    if ctx.c.lenient:
        del parameters["value"]
        parameters["absent"] = True
        _warn(ctx, "'value: null' (attribute absent) is now 'absent: true'", "value")
        return
    parameters["absent"] = parameters.pop("value") is None  # no second error for the group
    ctx.error(
        "'value: null' does not check anything",
        _path(ctx, "value"),
        hint="To check that the attribute is absent write 'absent: true' instead of "
        "'value: null' (lenient import does this)",
    )


def _script_inputs(parameters: dict, ctx) -> None:
    script = parameters.get("script")
    if not isinstance(script, str) or not script_references(script):
        return
    inputs = parameters.get("inputs", {})
    if not isinstance(inputs, dict):
        ctx.error(
            "References in the script cannot move into 'inputs', which is not a mapping",
            _path(ctx, "inputs"),
            hint="Write 'inputs' as a mapping of names to values",
        )
        return
    if not _secret_free(script, ctx):
        ctx.reported.add("script")
        return
    names = InputNames(taken={name: str(value) for name, value in inputs.items()})
    try:
        rewritten = move_to_inputs(script, names)
    except ScriptRewriteError as exc:
        ctx.error(
            f"The references in the script cannot be moved into 'inputs': {exc}",
            _path(ctx, "script"),
            hint="Pass the values under 'inputs' and read inputs['name'] in the script",
        )
        return
    _report_moves(script, names, ctx)
    parameters["script"] = rewritten
    parameters["inputs"] = {**inputs, **{names.names[e]: t for e, t in _moved(names)}}


def _moved(names: InputNames) -> list[tuple[str, str]]:
    return [(expression, names.taken[name]) for expression, name in names.names.items()]


def _report_moves(script: str, names: InputNames, ctx) -> None:
    first_line = 1 if "\n" in script.rstrip("\n") else 0  # a block scalar starts a line lower
    for occurrence in script_references(script):
        name = names.names[occurrence.reference.expression]
        line = first_line + script.count("\n", 0, occurrence.start)
        _warn(
            ctx,
            f"'{occurrence.reference.text}' in the script (its line {line + 1 - first_line}) "
            f'now reads inputs["{name}"]',
            "script",
            line_offset=line,
        )


def _secret_free(script: str, ctx) -> bool:
    secret_parameters = ctx.secret_parameters
    ok = True
    for occurrence in script_references(script):
        ref = occurrence.reference
        whole_credential = ref.kind == "credential" or ctx.parameter_type(ref.name) == "credential"
        secret = (whole_credential and (not ref.path or ref.path[0] in SECRET_FIELDS)) or (
            ref.kind == "parameter" and ref.name in secret_parameters
        )
        if secret:
            ok = False
            ctx.error(
                f"'{ref.text}' would hand a secret to the Python script",
                _path(ctx, "script"),
                hint="Python steps receive no secrets: type or send it with a step that takes "
                "the credential (browser.fill, gateway.login, designer.login) and keep only "
                "non-secret values in the script",
            )
    return ok
