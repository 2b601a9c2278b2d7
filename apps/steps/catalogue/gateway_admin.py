"""Gateway steps the originals lacked: backups, the trial, project and tag transfer, any API.

Part of the ``gateway`` family; ``apps.steps.catalogue.gateway`` registers them after the
originals' steps. Most need the 8.3 REST API (docs/gateway-steps.md).
"""

from apps.steps.catalogue.common import GATEWAY, artifact_name, timeout_s
from apps.steps.schema import Param, ParamType, StepType

FAMILY = "gateway"
_REQ = (GATEWAY,)

_FILE_IN = Param("file", ParamType.FILE, required=True, description="File to send.")

NEW = (
    StepType(
        id="gateway.backup",
        family=FAMILY,
        handler="apps.steps.plugins.gateway.backup.run",
        title="Download a gateway backup",
        description="Stream a `.gwbk` backup (8.3 REST API) into an artifact of the run.",
        params=(
            Param("type", ParamType.STRING, enum=("roaming", "all"), description="Backup kind."),
            Param(
                "include_peer_local",
                ParamType.BOOLEAN,
                default=False,
                description="Include the redundant peer's local data.",
            ),
            artifact_name("name", "File name of the backup artifact (default gateway name+time)."),
            timeout_s(300, "How long the gateway may take to produce the backup."),
        ),
        outputs=("status", "artifact", "size_bytes"),
        requires=_REQ,
        example={"type": "all", "name": "pre_upgrade.gwbk", "timeout": 600},
    ),
    StepType(
        id="gateway.restore",
        family=FAMILY,
        handler="apps.steps.plugins.gateway.backup.run_restore",
        title="Restore a gateway backup",
        description="Upload a `.gwbk` file; the gateway restores it and restarts. API tokens may "
        "be wiped by the restore. With `wait_for_ready`, waits for RUNNING and then checks "
        "that every project of the backup is on the gateway (output `projects`); fails naming "
        "the missing ones.",
        params=(
            _FILE_IN,
            Param(
                "restore_disabled",
                ParamType.BOOLEAN,
                default=False,
                description="Restore with every project and connection disabled.",
            ),
            Param(
                "disable_temp_project_backup",
                ParamType.BOOLEAN,
                default=False,
                description="Skip the gateway's temporary project backup.",
            ),
            Param(
                "rename_enabled",
                ParamType.BOOLEAN,
                default=False,
                description="Rename the gateway to `new_name`.",
            ),
            Param("new_name", ParamType.STRING, description="New gateway name."),
            Param(
                "wait_for_ready",
                ParamType.BOOLEAN,
                default=True,
                description="Wait for the restart that follows the restore.",
            ),
            timeout_s(300, "How long the restore and restart may take."),
        ),
        outputs=("status", "projects"),
        requires=_REQ,
        example={"file": "{{ backup_file }}", "restore_disabled": True, "timeout": 900},
    ),
    StepType(
        id="gateway.trial_status",
        family=FAMILY,
        handler="apps.steps.plugins.gateway.trial.run",
        title="Read the trial state",
        description="Read licence mode, remaining trial seconds and whether the trial expired "
        "(8.3 /trial; 8.1 the home page countdown).",
        outputs=("license_mode", "trial_state", "trial_seconds_left", "expired"),
        requires=_REQ,
        example={},
    ),
    StepType(
        id="gateway.reset_trial",
        family=FAMILY,
        handler="apps.steps.plugins.gateway.trial.run_reset",
        title="Reset an expired trial",
        description="Reset the 2-hour trial through a web session (8.3) or the home page (8.1). "
        "Gateways only allow it once the trial expired; `only_if_expired` makes a running trial "
        "a no-op instead of a failure.",
        params=(
            Param(
                "username",
                ParamType.STRING,
                description="Administrator (default: the logged-in user or the run's credential).",
            ),
            Param("password", ParamType.STRING, secret=True, description="Password."),
            Param(
                "only_if_expired",
                ParamType.BOOLEAN,
                default=True,
                description="Succeed without resetting while the trial still runs.",
            ),
            timeout_s(60, "How long the reset may take."),
        ),
        outputs=("status", "trial_seconds_left", "reset"),
        requires=_REQ,
        example={
            "username": "{{ credential.gateway_admin.username }}",
            "password": "{{ credential.gateway_admin.password }}",
            "only_if_expired": True,
        },
    ),
    StepType(
        id="gateway.export_project",
        family=FAMILY,
        handler="apps.steps.plugins.gateway.projects.run_export",
        title="Export a project",
        description="Download a project export zip into an artifact of the run.",
        params=(
            Param("project_name", ParamType.STRING, required=True, description="Project."),
            artifact_name("name", "File name of the zip artifact (default `<project>.zip`)."),
            timeout_s(120, "How long the export may take."),
        ),
        outputs=("status", "artifact", "size_bytes"),
        requires=_REQ,
        example={
            "project_name": "{{ project_name }}",
            "name": "exports/project_before_fat.zip",
            "timeout": 180,
        },
    ),
    StepType(
        id="gateway.import_project",
        family=FAMILY,
        handler="apps.steps.plugins.gateway.projects.run_import",
        title="Import a project",
        description="Upload a project export zip under the given name.",
        params=(
            Param("project_name", ParamType.STRING, required=True, description="Project."),
            _FILE_IN,
            Param(
                "overwrite",
                ParamType.BOOLEAN,
                default=False,
                description="Replace an existing project of that name (otherwise the step fails).",
            ),
            timeout_s(120, "How long the import may take."),
        ),
        outputs=("status", "project_name"),
        requires=_REQ,
        example={
            "project_name": "{{ project_name }}",
            "file": "{{ project_export }}",
            "overwrite": True,
        },
    ),
    StepType(
        id="gateway.export_tags",
        family=FAMILY,
        handler="apps.steps.plugins.gateway.tags.run",
        title="Export tags",
        description="Export a tag provider (or a folder of it) into an artifact of the run; "
        "`tags` counts the exported tags (JSON only).",
        params=(
            Param("provider", ParamType.STRING, default="default", description="Tag provider."),
            Param(
                "format",
                ParamType.STRING,
                default="json",
                enum=("json", "xml"),
                description="Export format.",
            ),
            Param(
                "path",
                ParamType.STRING,
                default="",
                description="Folder inside the provider; empty for the whole provider.",
            ),
            Param("recursive", ParamType.BOOLEAN, default=True, description="Include sub-folders."),
            Param("include_udts", ParamType.BOOLEAN, default=True, description="Include UDTs."),
            artifact_name("name", "File name of the export artifact."),
        ),
        outputs=("status", "artifact", "tags"),
        requires=_REQ,
        example={"provider": "default", "path": "Line1", "name": "line1_tags.json"},
    ),
    StepType(
        id="gateway.import_tags",
        family=FAMILY,
        handler="apps.steps.plugins.gateway.tags.run_import",
        title="Import tags",
        description="Import a tag export file into a tag provider.",
        params=(
            _FILE_IN,
            Param("provider", ParamType.STRING, default="default", description="Tag provider."),
            Param(
                "format",
                ParamType.STRING,
                default="json",
                enum=("json", "xml", "csv"),
                description="Format of the file.",
            ),
            Param(
                "collision_policy",
                ParamType.STRING,
                default="Abort",
                enum=("Abort", "Overwrite", "Rename", "Ignore", "MergeOverwrite"),
                description="What to do with tags that already exist.",
            ),
            Param("path", ParamType.STRING, default="", description="Target folder."),
        ),
        outputs=("status", "response"),
        requires=_REQ,
        example={
            "file": "{{ tag_export }}",
            "provider": "default",
            "path": "Line1",
            "collision_policy": "Overwrite",
        },
    ),
    StepType(
        id="gateway.api_request",
        family=FAMILY,
        handler="apps.steps.plugins.gateway.api.run",
        title="Call any gateway API",
        description="Send one request to the gateway's REST API (8.3; token or web session) for "
        "what no step covers. A `path` without a leading `/` is relative to `/data/api/v1/`.",
        params=(
            Param(
                "method",
                ParamType.STRING,
                default="GET",
                enum=("GET", "POST", "PUT", "PATCH", "DELETE"),
                description="HTTP method.",
            ),
            Param("path", ParamType.STRING, required=True, description="API path."),
            Param("query", ParamType.DICT, description="Query-string parameters."),
            Param("json", ParamType.ANY, description="JSON body."),
            Param("body_file", ParamType.FILE, description="File sent as raw bytes."),
            Param(
                "headers",
                ParamType.DICT,
                description="Extra `Accept`/`Content-Type` headers (auth comes from the login).",
            ),
            Param(
                "expected_status",
                ParamType.LIST,
                items=ParamType.INTEGER,
                description="Status codes that count as success (default any 2xx).",
            ),
            artifact_name("save_as", "Store the response body as an artifact of this name."),
            timeout_s(30, "How long to wait for the answer."),
        ),
        outputs=("status_code", "headers", "json", "text", "artifact"),
        requires=_REQ,
        exclusive=(("json", "body_file"),),
        example={
            "method": "DELETE",
            "path": "modules/uninstall",
            "query": {"moduleId": "{{ module_id }}"},
            "expected_status": [200],
        },
    ),
    StepType(
        id="gateway.diagnostics_bundle",
        family=FAMILY,
        handler="apps.steps.plugins.gateway.backup.run_diagnostics",
        title="Download a diagnostics bundle",
        description="Ask the gateway for a diagnostics bundle (8.3 REST API), wait until it is "
        "Valid (Invalid → Generating → Valid), and store the zip as an artifact of the run. "
        "Fails when the bundle does not become Valid in time or the download's size differs "
        "from the size the gateway announced.",
        params=(
            artifact_name("name", "File name of the artifact (default diagnostics-<time>.zip)."),
            timeout_s(300, "How long the gateway may take to generate and send the bundle."),
        ),
        outputs=("status", "artifact", "size_bytes"),
        requires=_REQ,
        example={"name": "before_upgrade_diagnostics.zip", "timeout": 600},
    ),
)
