"""Creating, importing, editing, duplicating, restoring and deleting playbooks."""

import json
import re
from dataclasses import dataclass, field
from types import SimpleNamespace

import yaml
from django.db import transaction

from apps.accounts.models import Team, User
from apps.accounts.services import audit_record
from apps.core.errors import ApplicationError, ConflictError, NotFoundError
from apps.core.json_input import JsonTooDeepError, json_loads_bounded
from apps.playbooks.models import Playbook, PlaybookOrigin
from apps.playbooks.selectors import playbook_has_runs, playbook_version_get
from apps.playbooks.services._common import (
    DEFAULT_DOMAIN,
    UNVERIFIED_NOTE,
    behaviour_changed,
    cleaned_text,
    lock,
    mark_verified,
    require_editor,
    safe_name,
    sha256_of,
    store_version,
    unique_path,
    validate_for_team,
    warnings_of,
)
from apps.playbooks.services.import_verified import honour_verified

DOMAINS = ("gateway", "perspective", "designer")


@dataclass
class ImportResult:
    """The imported playbook and the loader's warnings (lenient mode turns errors into these)."""

    playbook: Playbook
    warnings: list[dict] = field(default_factory=list)


@transaction.atomic
def playbook_import(
    *, team: Team, actor: User, content: str, filename: str = "", lenient: bool = False
) -> ImportResult:
    """Import a YAML playbook, or an export JSON of the originals (or of this portal).

    The file lands at ``<domain>/<safe_name>.yaml`` (``_1``, ``_2``… on collision) with origin
    ``imported``; ``verified: true`` in the YAML or an export's ``metadata.verified`` is
    honoured for an editor of the team (audited). Sets keeping their paths: ``imports``.
    """
    require_editor(actor, team)
    text, exported = unwrap_export(content)
    source = filename or "<import>"
    loaded = validate_for_team(text, team=team, source=source, lenient=lenient)
    warnings = warnings_of(loaded)
    if lenient and warnings:
        text = cleaned_text(loaded)
        loaded = validate_for_team(text, team=team, source=source)
    domain = safe_name(loaded.domain or exported.get("domain") or DEFAULT_DOMAIN)
    playbook = Playbook(
        team=team,
        origin=PlaybookOrigin.IMPORTED,
        path=unique_path(team, domain, loaded.name),
        domain=domain,
    )
    playbook.save()
    note = f"Imported from {filename}" if filename else "Imported"
    if warnings:
        note += f"; {len(warnings)} change(s) for the portal's format"
    store_version(playbook, text=text, loaded=loaded, actor=actor, change_note=note)
    details = {"path": playbook.path, "lenient": lenient}
    audit_record(actor, "playbook.import", target=playbook, details=details)
    outcome = SimpleNamespace(loaded=loaded, exported=exported, file=source, warnings=warnings)
    honour_verified(playbook, outcome, actor)
    return ImportResult(playbook=playbook, warnings=warnings)


@transaction.atomic
def playbook_create_from_template(
    *, team: Team, actor: User, name: str, description: str = "", domain: str = DEFAULT_DOMAIN
) -> Playbook:
    """Create a new playbook from the starter template (standard parameters, one step)."""
    require_editor(actor, team)
    name = name.strip()
    if not name:
        raise ApplicationError("A playbook needs a name.")
    if domain not in DOMAINS:
        raise ApplicationError(f"Unknown domain {domain!r}; use one of {', '.join(DOMAINS)}.")
    text = _template(name=name, description=description, domain=domain)
    loaded = validate_for_team(text, team=team, source="<template>")
    playbook = Playbook.objects.create(
        team=team, origin=PlaybookOrigin.USER, path=unique_path(team, domain, name), domain=domain
    )
    store_version(playbook, text=text, loaded=loaded, actor=actor, change_note="Created")
    audit_record(actor, "playbook.create", target=playbook, details={"path": playbook.path})
    return playbook


@transaction.atomic
def playbook_update(
    playbook: Playbook,
    *,
    actor: User,
    yaml_text: str,
    change_note: str = "",
    base_revision: int | None = None,
) -> Playbook:
    """Save new YAML as the next revision; unchanged text stores nothing.

    ``base_revision`` (the revision the editor started from) turns a concurrent edit into a
    ``ConflictError`` instead of silently overwriting it.
    """
    require_editor(actor, playbook.team)
    playbook = lock(playbook)
    current = playbook.current_version
    if base_revision is not None and current is not None and current.revision != base_revision:
        raise ConflictError(
            f"{playbook} changed since revision {base_revision} (it is now at revision "
            f"{current.revision}); reload it and edit again."
        )
    loaded = validate_for_team(yaml_text, team=playbook.team, source=playbook.path)
    if current is not None and current.sha256 == sha256_of(yaml_text):
        return playbook
    unverify = playbook.verified and behaviour_changed(current, loaded)
    if unverify:
        change_note = (change_note + " " if change_note else "") + UNVERIFIED_NOTE
        mark_verified(playbook, verified=False, actor=None)
    version = store_version(
        playbook, text=yaml_text, loaded=loaded, actor=actor, change_note=change_note
    )
    details = {"revision": version.revision, "change_note": version.change_note}
    audit_record(actor, "playbook.update", target=playbook, details=details)
    if unverify:
        audit_record(actor, "playbook.unverify", target=playbook, details=details)
    return playbook


def playbook_update_step(
    playbook: Playbook,
    *,
    actor: User,
    step_id: str,
    step: dict,
    change_note: str = "",
    base_revision: int | None = None,
) -> Playbook:
    """Replace one step (found by id) and save the result as the next revision."""
    document = yaml.safe_load(playbook.current_version.yaml_text)
    steps = document.get("steps") or []
    index = next((i for i, item in enumerate(steps) if item.get("id") == step_id), None)
    if index is None:
        raise NotFoundError(f"{playbook} has no step {step_id!r}.")
    steps[index] = {"id": step.get("id", step_id), **{k: v for k, v in step.items() if k != "id"}}
    return playbook_update(
        playbook,
        actor=actor,
        yaml_text=yaml.safe_dump(document, sort_keys=False, allow_unicode=True),
        change_note=change_note or f"Edited step {step_id}",
        base_revision=base_revision,
    )


@transaction.atomic
def playbook_duplicate(playbook: Playbook, *, actor: User, name: str = "") -> Playbook:
    """Copy the current version into a new, unverified user playbook of the same team."""
    require_editor(actor, playbook.team)
    source = playbook.current_version
    new_name = name.strip() or _copy_name(playbook.name)
    text = _renamed(source.yaml_text, new_name)
    loaded = validate_for_team(text, team=playbook.team, source=playbook.path)
    copy = Playbook.objects.create(
        team=playbook.team,
        origin=PlaybookOrigin.USER,
        path=unique_path(playbook.team, playbook.domain, new_name),
        domain=playbook.domain,
        duplicated_from=playbook,
    )
    note = f"Duplicated from {playbook.path} revision {source.revision}"
    store_version(copy, text=text, loaded=loaded, actor=actor, change_note=note)
    audit_record(actor, "playbook.duplicate", target=copy, details={"source": playbook.path})
    return copy


def _copy_name(name: str) -> str:
    """``<name> (Copy)``, the name shortened to keep it within the field's length."""
    room = Playbook._meta.get_field("name").max_length - len(" (Copy)")
    return f"{name[:room].rstrip()} (Copy)"


def playbook_restore_version(
    playbook: Playbook, *, actor: User, revision: int, change_note: str = ""
) -> Playbook:
    """Save an earlier revision's YAML again, as the next revision."""
    old = playbook_version_get(playbook, revision)
    return playbook_update(
        playbook,
        actor=actor,
        yaml_text=old.yaml_text,
        change_note=change_note or f"Restored revision {revision}",
    )


@transaction.atomic
def playbook_set_verified(playbook: Playbook, *, actor: User, verified: bool) -> Playbook:
    """Mark a playbook verified (usable as a ``playbook.run`` child) or not."""
    require_editor(actor, playbook.team)
    mark_verified(playbook, verified=verified, actor=actor)
    playbook.save(update_fields=["verified", "verified_by", "verified_at", "updated_at"])
    action = "playbook.verify" if verified else "playbook.unverify"
    audit_record(actor, action, target=playbook)
    return playbook


@transaction.atomic
def playbook_set_enabled(playbook: Playbook, *, actor: User, enabled: bool) -> Playbook:
    """Enable or disable a playbook; disabled playbooks cannot be started."""
    require_editor(actor, playbook.team)
    playbook.enabled = enabled
    playbook.save(update_fields=["enabled", "updated_at"])
    audit_record(actor, "playbook.enable" if enabled else "playbook.disable", target=playbook)
    return playbook


@transaction.atomic
def playbook_delete(playbook: Playbook, *, actor: User) -> None:
    """Delete a user playbook with its versions and presets; built-ins are refused."""
    require_editor(actor, playbook.team)
    if playbook.is_builtin:
        raise ConflictError(
            f"{playbook} is a built-in playbook and cannot be deleted: disable it, or duplicate "
            "it and change the copy."
        )
    if playbook_has_runs(playbook):
        raise ConflictError(
            f"{playbook} has runs in the history, which keep the revision they ran: disable "
            "it instead of deleting it."
        )
    audit_record(actor, "playbook.delete", target=playbook, details={"path": playbook.path})
    playbook.delete()


def unwrap_export(content: str) -> tuple[str, dict]:
    """Return the YAML inside an export JSON (and what it says), or ``content`` unchanged."""
    if not content.lstrip().startswith("{"):
        return content, {}
    try:
        document = json_loads_bounded(content)
    except JsonTooDeepError as exc:
        raise ApplicationError(f"The import file's {exc}") from None
    except ValueError:
        return content, {}
    if "yaml_content" in document:
        text = document["yaml_content"]
        if not isinstance(text, str) or not text.strip():
            raise ApplicationError("The export file's 'yaml_content' is empty or not text.")
        metadata = document.get("metadata") if isinstance(document.get("metadata"), dict) else {}
        path = document.get("path") if isinstance(document.get("path"), str) else None
        exported = {"domain": document.get("domain"), "verified": metadata.get("verified")}
        return text, {**exported, "path": path}
    if "_export_metadata" in document:
        document.pop("_export_metadata")
        return yaml.safe_dump(document, sort_keys=False, allow_unicode=True), {}
    return content, {}


def _renamed(text: str, name: str) -> str:
    """Change the top-level ``name:`` line, keeping comments; re-dump when it is not a line."""
    line = re.compile(r"^name:[^\n]*$", re.MULTILINE)
    if line.search(text):
        return line.sub(lambda _: f"name: {json.dumps(name, ensure_ascii=False)}", text, count=1)
    document = yaml.safe_load(text)
    document["name"] = name
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True)


def _template(*, name: str, description: str, domain: str) -> str:
    document = {
        "name": name,
        "version": "1.0",
        "description": description or f"A new {domain} playbook.",
        "domain": domain,
        "parameters": [
            {
                "name": "gateway_url",
                "type": "string",
                "required": True,
                "default": "http://localhost:8088",
                "description": "Base URL of the gateway.",
            },
            {
                "name": "gateway_credential",
                "type": "credential",
                "required": False,
                "description": "Vault credential used to log in to the gateway.",
            },
        ],
        "steps": [
            {
                "id": "start",
                "name": "Step 1: Say where the run goes",
                "type": "utility.log",
                "parameters": {"message": "Running against {{ parameter.gateway_url }}"},
            }
        ],
    }
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True)
