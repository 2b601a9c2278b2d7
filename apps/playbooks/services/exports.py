"""Exporting a playbook as its YAML, or as JSON with credential defaults stripped."""

import json
from dataclasses import dataclass

import yaml
from django.utils import timezone

from apps.accounts.models import User
from apps.accounts.services import audit_record
from apps.core.errors import ApplicationError
from apps.playbooks.models import Playbook
from apps.playbooks.selectors import playbook_version_get

EXPORT_FORMATS = ("yaml", "json")


@dataclass(frozen=True)
class PlaybookExport:
    filename: str
    content_type: str
    content: str


def playbook_export(
    playbook: Playbook, *, actor: User, file_format: str = "yaml", revision: int | None = None
) -> PlaybookExport:
    """Export the current (or a given) revision.

    YAML is the stored text verbatim (it holds credential references, never secrets). JSON is
    the originals' export shape (``name``, ``path``, ``domain``, ``yaml_content``,
    ``metadata``) with the defaults of ``credential`` parameters removed, so importing it on
    another machine never points at this vault's credentials by accident.
    """
    if file_format not in EXPORT_FORMATS:
        raise ApplicationError(f"Unknown export format {file_format!r}; use yaml or json.")
    version = (
        playbook.current_version if revision is None else playbook_version_get(playbook, revision)
    )
    stem = playbook.path.rsplit("/", 1)[-1].removesuffix(".yaml")
    details = {"format": file_format, "revision": version.revision}
    audit_record(actor, "playbook.export", target=playbook, details=details)
    if file_format == "yaml":
        return PlaybookExport(f"{stem}.yaml", "application/yaml", version.yaml_text)
    document = _export_document(playbook, version)
    content = json.dumps(document, indent=2, ensure_ascii=False)
    return PlaybookExport(f"{stem}_export.json", "application/json", content)


def strip_credential_defaults(yaml_text: str) -> str:
    """The YAML without ``default`` on ``credential`` parameters (unchanged text if none)."""
    document = yaml.safe_load(yaml_text)
    stripped = False
    for parameter in document.get("parameters") or []:
        if parameter.get("type") == "credential" and "default" in parameter:
            del parameter["default"]
            stripped = True
    if not stripped:
        return yaml_text
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True)


def _export_document(playbook: Playbook, version) -> dict:
    return {
        "name": playbook.name,
        "path": playbook.path,
        "version": playbook.version,
        "description": playbook.description,
        "domain": playbook.domain,
        "yaml_content": strip_credential_defaults(version.yaml_text),
        "metadata": {
            "revision": version.revision,
            "verified": playbook.verified,
            "verified_at": playbook.verified_at.isoformat() if playbook.verified_at else None,
            "verified_by": playbook.verified_by.username if playbook.verified_by else None,
            "origin": playbook.origin,
            "created_at": playbook.created_at.isoformat(),
            "exported_at": timezone.now().isoformat(),
            "credentials_stripped": True,
            "exported_by": "Ignition Automation Portal",
        },
    }
