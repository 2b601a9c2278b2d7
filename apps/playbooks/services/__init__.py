"""Every write to playbooks, versions and presets (split by topic; import from here)."""

from apps.playbooks.services.catalogue import (
    DOMAINS,
    ImportResult,
    playbook_create_from_template,
    playbook_delete,
    playbook_duplicate,
    playbook_import,
    playbook_restore_version,
    playbook_set_enabled,
    playbook_set_verified,
    playbook_update,
    playbook_update_step,
)
from apps.playbooks.services.exports import PlaybookExport, playbook_export
from apps.playbooks.services.library import (
    SyncReport,
    playbook_library_sync,
    shipped_library_root,
)
from apps.playbooks.services.presets import preset_create, preset_delete, preset_update

__all__ = [
    "DOMAINS",
    "ImportResult",
    "PlaybookExport",
    "SyncReport",
    "playbook_create_from_template",
    "playbook_delete",
    "playbook_duplicate",
    "playbook_export",
    "playbook_import",
    "playbook_library_sync",
    "playbook_restore_version",
    "playbook_set_enabled",
    "playbook_set_verified",
    "playbook_update",
    "playbook_update_step",
    "preset_create",
    "preset_delete",
    "preset_update",
    "shipped_library_root",
]
